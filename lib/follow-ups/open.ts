import "server-only";
import { sql } from "kysely";
import type { Tx } from "@/lib/db";
import { builder, rows } from "@/lib/store";
import { recordEvent } from "@/lib/trace/events";

/**
 * Queues a follow-up for a run whose user was told "a member of our team will follow up", in the
 * caller's transaction, so the promise and the queue item commit together. One per run: a run
 * that already has one (an expired item, then the run ending) keeps the first.
 */
export async function openFollowUp(tx: Tx, runId: string, reason: string): Promise<void> {
  // A scratch run (replay, shadow: lib/replay) promises the customer nothing: no one follows it up.
  const created = await rows(
    tx,
    builder
      .insertInto("follow_ups")
      .columns(["id", "run_id", "reason"])
      .expression((eb) =>
        eb
          .selectFrom("runs")
          .select([
            sql<string>`gen_random_uuid()`.as("id"),
            "id as run_id",
            eb.val(reason).as("reason"),
          ])
          .where("id", "=", runId)
          .where("mode", "=", "live"),
      )
      .onConflict((oc) => oc.column("run_id").doNothing())
      .returning("id"),
  );
  if (created.length > 0)
    await recordEvent(tx, {
      runId,
      kind: "follow_up",
      name: "follow-up queued for the team",
      data: { reason },
    });
}
