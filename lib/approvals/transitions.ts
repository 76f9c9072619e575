import "server-only";
import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ApprovalStatus } from "@/lib/generated/prisma/enums";
import { approvalSourcesOf } from "@/lib/runtime/state-machines";

/**
 * The one way an approval changes state: a conditional update from a legal source state (and
 * whatever else the caller requires, such as "not past its time to live"), in the caller's
 * transaction. A decided item holds no claim. Returns false when the item was not in a state
 * that may move to `to` (someone decided, or it expired, first).
 */
export async function transitionApproval(
  tx: Tx,
  approvalId: string,
  to: ApprovalStatus,
  data: Omit<Prisma.ApprovalUncheckedUpdateManyInput, "status" | "id"> = {},
  where: Prisma.ApprovalWhereInput = {},
): Promise<boolean> {
  const moved = await tx.approval.updateMany({
    where: { ...where, id: approvalId, status: { in: approvalSourcesOf(to) } },
    data: { ...data, status: to, claimedById: null, claimedUntil: null },
  });
  return moved.count === 1;
}
