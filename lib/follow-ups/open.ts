import "server-only";
import type { Tx } from "@/lib/db";
import { recordEvent } from "@/lib/trace/events";

/**
 * Queues a follow-up for a run whose user was told "a member of our team will follow up", in the
 * caller's transaction, so the promise and the queue item commit together. One per run: a run
 * that already has one (an expired item, then the run ending) keeps the first.
 */
export async function openFollowUp(tx: Tx, runId: string, reason: string): Promise<void> {
  // A scratch run (replay, shadow: lib/replay) promises the customer nothing: no one follows it up.
  const run = await tx.run.findUnique({ where: { id: runId }, select: { mode: true } });
  if (run && run.mode !== "live") return;
  const created = await tx.$executeRaw`
    insert into follow_ups (id, run_id, reason) values (gen_random_uuid(), ${runId}::uuid, ${reason})
    on conflict (run_id) do nothing`;
  if (created) await recordEvent(tx, { runId, kind: "follow_up", name: "follow-up queued for the team", data: { reason } });
}
