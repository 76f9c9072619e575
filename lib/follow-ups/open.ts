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
  const created = await tx.$executeRaw`
    insert into follow_ups (id, run_id, reason)
    select gen_random_uuid(), ${runId}::uuid, ${reason} where exists (select 1 from runs where id = ${runId}::uuid and mode = 'live')
    on conflict (run_id) do nothing`;
  if (created)
    await recordEvent(tx, {
      runId,
      kind: "follow_up",
      name: "follow-up queued for the team",
      data: { reason },
    });
}
