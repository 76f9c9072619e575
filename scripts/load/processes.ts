// The processes the load test starts: app processes (`npm run demo`'s launcher, each serving the
// app with its in-process workers), extra `npm run worker` processes, and the floor's engine
// process. Each is the leader of a process group of its own, so one signal reaches the launcher,
// tsx's node child and Next.js at once (a SIGKILL of the tsx wrapper alone would leave its child
// serving). The database is the load test's, outside every group: killing an app never stops it.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";

export type Started = { name: string; child: ChildProcess; log: string; profiled: boolean };

/** Where each process writes its V8 CPU profile when LOAD_CPU_PROF=1 (a folder per process). */
export const profileDir = (dataDir: string, name: string) =>
  path.resolve(dataDir, "profiles", name);

export function startProcess(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { dataDir: string; profile: boolean },
): Started {
  mkdirSync(opts.dataDir, { recursive: true });
  const log = path.join(opts.dataDir, `${name}.log`);
  const out = createWriteStream(log, { flags: "a" });
  const nodeOptions = opts.profile
    ? `${env.NODE_OPTIONS ?? ""} --cpu-prof --cpu-prof-dir=${profileDir(opts.dataDir, name)}`.trim()
    : env.NODE_OPTIONS;
  const child = spawn("tsx", args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, ...(nodeOptions && { NODE_OPTIONS: nodeOptions }) },
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { name, child, log, profiled: opts.profile };
}

const alive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * SIGTERM to the group, SIGKILL after `graceMs`: a profiled process writes its profile only on a
 * clean exit, so it gets longer.
 */
export async function stopProcess(started: Started, graceMs = started.profiled ? 120_000 : 20_000) {
  const pgid = started.child.pid;
  if (!pgid || !alive(pgid)) return;
  process.kill(-pgid, "SIGTERM");
  const until = Date.now() + graceMs;
  while (alive(pgid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (alive(pgid)) process.kill(-pgid, "SIGKILL");
}

/** SIGKILL to the whole group, then wait until every process in it is gone. */
export async function killProcess(started: Started) {
  const pgid = started.child.pid!;
  process.kill(-pgid, "SIGKILL");
  for (let i = 0; i < 200 && alive(pgid); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive(pgid)) throw new Error(`${started.name}'s processes outlived SIGKILL`);
}

export async function waitForHealth(url: string, started: Started | null, signal: AbortSignal) {
  while (!signal.aborted) {
    if (started && started.child.exitCode !== null)
      throw new Error(
        `${started.name} exited (code ${started.child.exitCode}) before it was healthy; see ${started.log}`,
      );
    try {
      if ((await fetch(url, { signal })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} was not healthy before the deadline`);
}
