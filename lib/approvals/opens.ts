import "server-only";
import { db } from "@/lib/db";
import { builder, rows } from "@/lib/store";

/**
 * Records the first time a reviewer opens a pending item: the start of the time they spend on the
 * packet, which /ops measures up to their decision. Later opens keep the first; a decided item
 * is not "opened for review" any more, so nothing is recorded for it.
 */
export async function recordApprovalOpen(
  userId: string,
  approvalId: string,
  at = new Date(),
): Promise<void> {
  await rows(
    db,
    builder
      .insertInto("approval_opens")
      .columns(["approval_id", "user_id", "opened_at"])
      .expression((eb) =>
        eb
          .selectFrom("approvals as a")
          .select(["a.id", eb.val(userId).as("user_id"), eb.val(at).as("opened_at")])
          .where("a.id", "=", approvalId)
          .where("a.status", "=", "pending"),
      )
      .onConflict((oc) => oc.columns(["approval_id", "user_id"]).doNothing()),
  );
}
