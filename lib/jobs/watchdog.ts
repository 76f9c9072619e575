import "server-only";
import { db } from "@/lib/db";
import { endRun } from "@/lib/runtime/endings";
import { recordEvent } from "@/lib/trace/events";
import { enqueueAdvance } from "./queue";
import { log } from "@/lib/log";

const SWEEP_EVERY_MS = 15_000;
/** A run nobody holds and nobody touched for this long has lost its worker. */
const QUIET_MS = 30_000;
const MAX_RESUMES = 3;

/**
 * Finds active runs whose worker died (lease expired, or never taken and forgotten) and queues
 * them again; a run resumed this way too often is terminated as stuck. Runs at start-up, so a
 * restart picks up every interrupted run, then every few seconds. Every process may sweep:
 * the queue keeps one advance per run, and the lease keeps one worker on it.
 */
export async function sweepStuckRuns(now = new Date()): Promise<{ resumed: string[]; terminated: string[] }> {
  const stale = await db.run.findMany({
    where: {
      status: { in: ["queued", "routing", "running"] },
      updatedAt: { lt: new Date(now.getTime() - QUIET_MS) },
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
    },
    select: { id: true },
    take: 100,
  });
  const resumed: string[] = [];
  const terminated: string[] = [];
  for (const { id } of stale) {
    const previous = await db.traceEvent.count({ where: { runId: id, kind: "watchdog" } });
    if (previous >= MAX_RESUMES) {
      await db.$transaction((tx) => recordEvent(tx, { runId: id, kind: "limit", name: "stuck", data: { resumes: previous } }));
      await endRun(id, "terminated", `stuck: the watchdog resumed it ${previous} times without progress`);
      terminated.push(id);
      continue;
    }
    const taken = await db.$transaction(async (tx) => {
      // Only a lease that is still lapsed is cleared: a worker that claimed the run meanwhile keeps it.
      const cleared = await tx.run.updateMany({ where: { id, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }, data: { leaseOwner: null, leaseUntil: null } });
      if (cleared.count === 0) return false;
      await recordEvent(tx, { runId: id, kind: "watchdog", name: "resumed by the watchdog", data: { attempt: previous + 1 } });
      await enqueueAdvance(tx, id);
      return true;
    });
    if (taken) resumed.push(id);
  }
  return { resumed, terminated };
}

export function startWatchdog() {
  const sweep = () =>
    sweepStuckRuns().catch((error: unknown) => log.error("watchdog sweep failed", { error }));
  void sweep();
  setInterval(sweep, SWEEP_EVERY_MS).unref();
}
