// CPU time of whole process trees, from /proc (Linux): a started app is a launcher, tsx's node
// child and Next.js, and PostgreSQL is a postmaster with a backend per connection, so the figure
// of one pid alone would miss most of the work. Each live process counts its own time plus what
// its exited, reaped children used (cutime/cstime), so a backend that came and went is not lost.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

type Proc = { pid: number; ppid: number; ticks: number };

function readProcs(): Proc[] {
  const procs: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces), from field 3 (state) on.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
      procs.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        ticks: utime! + stime! + cutime! + cstime!,
      });
    } catch {
      // exited while we looked
    }
  }
  return procs;
}

/** CPU seconds used so far by each named tree (its root pid and every descendant alive now). */
export function cpuSecondsOfTrees(
  roots: Record<string, number | undefined>,
): Record<string, number> {
  const procs = readProcs();
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const result: Record<string, number> = {};
  for (const [name, root] of Object.entries(roots)) {
    if (root === undefined || !byPid.has(root)) continue;
    let ticks = 0;
    const stack = [byPid.get(root)!];
    while (stack.length) {
      const p = stack.pop()!;
      ticks += p.ticks;
      stack.push(...(children.get(p.pid) ?? []));
    }
    result[name] = ticks / TICKS_PER_SECOND;
  }
  return result;
}

/** The pid of `root` and of every descendant alive now. */
export function processIdsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of readProcs()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const pids: number[] = [];
  for (const stack = [root]; stack.length;) {
    const pid = stack.pop()!;
    pids.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return pids;
}

/** The postmaster's pid, from the pid file of the data directory it serves. */
export function postmasterPid(pgDataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(`${pgDataDir}/postmaster.pid`, "utf8").split("\n")[0]);
    return pid || undefined;
  } catch {
    return undefined;
  }
}

/** The CPU seconds each tree used between two readings (a tree gone by the second is left out). */
export function cpuDelta(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, end] of Object.entries(after))
    if (before[name] !== undefined) delta[name] = end - before[name]!;
  return delta;
}
