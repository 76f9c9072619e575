import "server-only";
import { decisionPacket, recordAudit } from "@/lib/audit/log";
import type { Tx } from "@/lib/db";
import { transitionToolCall } from "@/lib/runtime/transitions";
import { recordEvent } from "@/lib/trace/events";
import { transitionApproval } from "./transitions";

// Registered on the runtime's onEnd hook (lib/features.ts): runs in the transaction that ends the run.

/**
 * Items still waiting on a run that ended can no longer be decided: they expire with it, traced
 * and audited like any expiry, so the trail has no silent gaps.
 */
export async function expireWhenRunEnds(tx: Tx, runId: string) {
  const pending = await tx.approval.findMany({
    where: { runId, status: "pending" },
    include: { toolCall: true, run: { select: { request: true } } },
  });
  const why = "the run ended before a decision";
  for (const approval of pending) {
    if (!(await transitionApproval(tx, approval.id, "expired", { decisionReason: why }))) continue;
    await transitionToolCall(tx, approval.toolCall, "expired");
    await recordEvent(tx, {
      runId,
      toolCallId: approval.toolCallId,
      kind: "decision",
      name: `expired: ${why}`,
      data: { decision: "expire", by: "system", reason: why },
    });
    await recordAudit(tx, {
      actorEmail: "system",
      action: "expired",
      approvalId: approval.id,
      runId,
      payload: { ...decisionPacket(approval), reason: why },
    });
  }
}
