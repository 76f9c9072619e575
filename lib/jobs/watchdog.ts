import "server-only";
import { hostname } from "node:os";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { prepared } from "@/lib/store";
import { endRun } from "@/lib/runtime/endings";
import { isDeadLocalWorker } from "@/lib/runtime/lease";
import { recordEvent } from "@/lib/trace/events";
import { RUN_WAKE_QUEUE, enqueueAdvance } from "./queue";
import { log } from "@/lib/log";

const SWEEP_EVERY_MS = 5_000;
/** A run nobody holds and nobody touched for this long has lost its worker. */
const QUIET_MS = 10_000;
/** Resumes in a row that led to no progress (no new trace event) before a run counts as stuck. */
const MAX_RESUMES = 3;
/**
 * A run holding an approved call that has not finished is never given up lightly: a human
 * decided, so it gets more tries, and then its calls are resolved from the facts, not dropped.
 */
const MAX_RESUMES_WITH_APPROVED_CALLS = 10;

type Stale = {
  id: string;
  lease_owner: string | null;
  lease_live: boolean;
  queued: boolean;
  resumes: number;
  unfinished_approved: number;
};

/**
 * Finds active runs whose worker died and queues them again. A worker is dead when its lease
 * lapsed (a live one renews it every few seconds) or, on this host, when its process is gone —
 * so a restarted app resumes what it was doing at once. A run with an advance still waiting in
 * the queue is only waiting its turn, and is left alone. Runs at start-up, then every few
 * seconds; every process may sweep: the lease keeps one worker on a run.
 */
export async function sweepStuckRuns(
  now = new Date(),
): Promise<{ resumed: string[]; terminated: string[] }> {
  const candidates = await prepared<Stale>(
    db,
    Prisma.sql`
    select r.id, r.lease_owner, coalesce(r.lease_until >= ${now}, false) as lease_live,
      exists (select 1 from pgboss.job j where j.name = ${RUN_WAKE_QUEUE} and j.singleton_key = r.id::text and j.state in ('created', 'retry')) as queued,
      (select count(*)::int from trace_events w where w.run_id = r.id and w.kind = 'watchdog'
         and w.seq > coalesce((select max(p.seq) from trace_events p where p.run_id = r.id and p.kind <> 'watchdog'), 0)) as resumes,
      (select count(*)::int from tool_calls c where c.run_id = r.id and c.status in ('approved', 'executing')) as unfinished_approved
    from runs r
    where r.status in ('queued', 'routing', 'running')
      -- An external action's run has no worker: the agent carries the call out (lib/external).
      and r.model_provider <> 'external'
      and (
        ((r.lease_until is null or r.lease_until < ${now}) and r.updated_at < ${new Date(now.getTime() - QUIET_MS)})
        or (r.lease_until >= ${now} and r.lease_owner like ${`${hostname()}:%`})
      )
    order by r.updated_at
    limit 100`,
  );
  const resumed: string[] = [];
  const terminated: string[] = [];
  for (const run of candidates) {
    const leaseLive = run.lease_live;
    if (leaseLive && !(run.lease_owner && isDeadLocalWorker(run.lease_owner))) continue;
    if (run.queued && !leaseLive) continue;
    const limit = run.unfinished_approved > 0 ? MAX_RESUMES_WITH_APPROVED_CALLS : MAX_RESUMES;
    if (run.resumes >= limit) {
      await giveUp(run.id, run.resumes);
      terminated.push(run.id);
      continue;
    }
    const taken = await db.$transaction(async (tx) => {
      // Only the lease seen here is cleared: a worker that claimed the run meanwhile keeps it.
      const cleared = await tx.run.updateMany({
        where: {
          id: run.id,
          leaseOwner: run.lease_owner,
          ...(leaseLive ? {} : { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }),
        },
        data: { leaseOwner: null, leaseUntil: null },
      });
      if (cleared.count === 0) return false;
      const why = leaseLive ? "its worker's process is gone" : "its worker's lease lapsed";
      await recordEvent(tx, {
        runId: run.id,
        kind: "watchdog",
        name: "resumed by the watchdog",
        data: { attempt: run.resumes + 1, why },
      });
      await enqueueAdvance(tx, run.id);
      return true;
    });
    if (taken) resumed.push(run.id);
  }
  return { resumed, terminated };
}

/** Resumed again and again without progress: it ends, its unfinished calls settled from the facts (endRun). */
async function giveUp(runId: string, resumes: number) {
  await db.$transaction((tx) =>
    recordEvent(tx, { runId, kind: "limit", name: "stuck", data: { resumes } }),
  );
  await endRun(
    runId,
    "terminated",
    `stuck: the watchdog resumed it ${resumes} times without progress`,
  );
}

export function startWatchdog() {
  const sweep = () =>
    sweepStuckRuns().catch((error: unknown) => log.error("watchdog sweep failed", { error }));
  void sweep();
  setInterval(sweep, SWEEP_EVERY_MS).unref();
}
