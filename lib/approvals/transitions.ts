import "server-only";
import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
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

/**
 * The decisions' approval moves (the CTE `moved` of lib/approvals/decision-statement.ts):
 * pending → approved or rejected for each decision in `inputJson` whose item has not expired and,
 * for an edit, whose proposal is the one the reviewer saw; a decided item holds no claim. Returns
 * the decisions that moved, for the statement's other moves.
 */
export const decidedApprovalsSql = (inputJson: string, approvalIds: string[]) => Prisma.sql`
  update approvals a
     set status = d.status::"ApprovalStatus", decided_by_id = d.actor_id, decided_at = d.at at time zone 'UTC', decision_reason = d.reason,
         approved_arguments = coalesce(d.args, a.approved_arguments), approved_hash = coalesce(d.hash, a.approved_hash),
         claimed_by_id = null, claimed_until = null
    from jsonb_to_recordset(${inputJson}::jsonb) as d(
           ord int, approval_id uuid, run_id uuid, call_id uuid, status text, actor_id uuid, at timestamptz, reason text,
           args jsonb, hash text, expected_hash text, may_resume boolean,
           call_event text, call_data jsonb, decision_event text, decision_data jsonb, run_event text, run_data jsonb,
           audit_actor text, audit_action text, audit_payload jsonb)
   where a.id = any(${approvalIds}::uuid[]) and a.id = d.approval_id
     and a.status = any(case d.status when 'approved' then ${approvalSourcesOf("approved")}::"ApprovalStatus"[] else ${approvalSourcesOf("rejected")}::"ApprovalStatus"[] end)
     and a.expires_at > d.at at time zone 'UTC'
     and (d.expected_hash is null or a.proposed_hash = d.expected_hash)
  returning d.*`;
