import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DATABASE_URL } from "../database";

// A second app process beside the one playwright.config.ts starts: the same built app, served by
// the same server script as `npm run demo` (scripts/server.ts, with its in-process workers), on
// another port, sharing the first one's PostgreSQL. It reuses what the first launcher prepared (the
// database, already migrated and seeded, the build and the session secret), so nothing is migrated
// or seeded twice and a session cookie from one process is good on the other.

/** Where playwright.config.ts's launcher keeps its data: its session secret is read from there. */
const FIRST_APP_DATA_DIR = ".data/e2e";

export const SECOND_PORT = Number(
  process.env.E2E_SECOND_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1,
);
export const SECOND_URL = `http://localhost:${SECOND_PORT}`;

export type SecondApp = {
  url: string;
  /** The process group: the server script and the Node process it runs. */
  pgid: number;
  /** Whether `pid` is one of this app's processes (e.g. the one named in a run's lease). */
  owns: (pid: number) => boolean;
  /** SIGKILL to the whole group, as a crash or an OOM kill would: no cleanup, no shutdown hooks. */
  kill: () => Promise<void>;
  /** The last lines it printed, for a failure's message. */
  output: () => string;
};

/** What any other process needs to act as the first app on its database (its URL and session secret). */
export function firstAppEnv(): { DATABASE_URL: string; NEXTAUTH_SECRET: string } {
  // The launcher uses NEXTAUTH_SECRET when set (the web server inherits this environment), else the one it keeps on disk.
  const secret =
    process.env.NEXTAUTH_SECRET ??
    readFileSync(path.join(FIRST_APP_DATA_DIR, "nextauth-secret"), "utf8").trim();
  return { DATABASE_URL, NEXTAUTH_SECRET: secret };
}

export async function startSecondApp(env: Record<string, string> = {}): Promise<SecondApp> {
  let output = "";
  const child: ChildProcess = spawn("tsx", ["scripts/server.ts", String(SECOND_PORT)], {
    // A process group of its own, so one kill reaches tsx and the Node process it starts.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      // What scripts/demo.ts gives the server it starts, with this process's port and address.
      ...firstAppEnv(),
      NEXTAUTH_URL: SECOND_URL,
      PORT: String(SECOND_PORT),
      COUNTERSIGN_DEMO: "1",
      NODE_ENV: "production",
      NEXT_RUNTIME: "nodejs",
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-8_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const pgid = child.pid!;

  const deadline = Date.now() + 120_000;
  for (;;) {
    const healthy = await fetch(`${SECOND_URL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) process.kill(-pgid, "SIGKILL");
      throw new Error(`the second app process did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url: SECOND_URL,
    pgid,
    owns: (pid) => processGroupOf(pid) === pgid,
    output: () => output,
    kill: async () => {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        return; // already gone
      }
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(-pgid, 0);
        } catch {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("the second app process outlived SIGKILL");
    },
  };
}

/** The process group of a live process on this machine (Linux), or null once it is gone. */
function processGroupOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so read after its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return null;
  }
}

const FIRST_PORT = String(process.env.E2E_PORT ?? 3100);

/**
 * The processes of the first app's server (`tsx scripts/server.ts <port>` and the Node process it
 * starts, found by their command lines: Linux), for a spec that pauses them. Empty if not found.
 */
function firstAppServer(): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        return args.some((a) => a.endsWith("scripts/server.ts")) && args.includes(FIRST_PORT);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/**
 * Runs `work` with the first app's server stopped (SIGSTOP, as a long pause of its host would),
 * and lets it go on afterwards whatever happened (SIGCONT). While it is stopped, only the second
 * app takes queued work. Returns false, having run nothing, if the first app's server is not found.
 */
export async function whileFirstAppPaused(work: () => Promise<void>): Promise<boolean> {
  const pids = firstAppServer();
  if (pids.length === 0) return false;
  pids.forEach((pid) => process.kill(pid, "SIGSTOP"));
  try {
    await work();
  } finally {
    pids.forEach((pid) => process.kill(pid, "SIGCONT"));
  }
  return true;
}
