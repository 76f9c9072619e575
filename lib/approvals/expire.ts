import "server-only";
import type { PgBoss } from "pg-boss";
import { decisionPacket, recordAudit } from "@/lib/audit/log";
import { db } from "@/lib/db";
import { builder, rows } from "@/lib/store";
import { openFollowUp } from "@/lib/follow-ups/open";
import type { Prisma } from "@/lib/generated/prisma/client";
import { transitionToolCall } from "@/lib/runtime/transitions";
import { recordEvent } from "@/lib/trace/events";
import { isExternalRun } from "@/lib/external/agents";
import { resumeIfDecided } from "./decide";
import { transitionApproval } from "./transitions";
import { log } from "@/lib/log";
import { escalateOverdueApprovals } from "./sla";

export const APPROVAL_MAINTENANCE = "approval-maintenance";
const INTERVAL_SECONDS = 10;
const BATCH = 200;
// `stately` with one fixed key: at most one tick waiting and one running, however many processes start.
const TICK = { singletonKey: "tick" } as const;

/**
 * Expires pending approvals past their time to live — not a rejection: the call never runs, the
 * run is told it expired and goes on (the agent informs the user). Each item is its own
 * transaction and a conditional update, so a reviewer deciding at the same moment wins or loses
 * cleanly. Returns how many items this pass expired.
 */
export async function expireDueApprovals(now = new Date()): Promise<number> {
  let expired = 0;
  const failed: string[] = [];
  for (;;) {
    const due = await db.approval.findMany({
      where: { status: "pending", expiresAt: { lte: now }, id: { notIn: failed } },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      select: { id: true },
      take: BATCH,
    });
    for (const { id } of due) {
      // One item that cannot be expired is logged and skipped, so it never blocks the rest of the queue.
      const done = await expireOne(id, now).catch((error: unknown) => {
        log.error("approval expiry failed", { approvalId: id, error });
        failed.push(id);
        return false;
      });
      if (done) expired += 1;
    }
    if (due.length < BATCH) return expired;
  }
}

async function expireOne(approvalId: string, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const approval = await tx.approval.findUniqueOrThrow({
      where: { id: approvalId },
      include: { run: { select: { request: true } } },
    });
    // Same lock order as a decision: the run row first, then the approval, then the audit chain.
    await rows(
      tx,
      builder.selectFrom("runs").select("id").where("id", "=", approval.runId).forUpdate(),
    );
    if (!(await transitionApproval(tx, approvalId, "expired", {}, { expiresAt: { lte: now } })))
      return false;
    const toolCall = await tx.toolCall.findUniqueOrThrow({ where: { id: approval.toolCallId } });
    await transitionToolCall(tx, toolCall, "expired");
    const expiredAt = approval.expiresAt.toISOString();
    await recordEvent(tx, {
      runId: approval.runId,
      toolCallId: toolCall.id,
      kind: "decision",
      name: "expired: no reviewer decided in time",
      data: {
        decision: "expire",
        by: "system",
        expiresAt: expiredAt,
        proposed: approval.proposedArguments as Prisma.InputJsonValue,
      },
    });
    // The user is told nothing was done and that the team will follow up. An external agent is
    // told by its webhook and its long-poll instead (lib/external/decisions.ts).
    if (!(await isExternalRun(tx, approval.runId)))
      await openFollowUp(tx, approval.runId, `expired: ${approval.tool} was not decided in time`);
    await resumeIfDecided(tx, approval.runId);
    await recordAudit(tx, {
      actorEmail: "system",
      action: "expired",
      approvalId,
      runId: approval.runId,
      payload: {
        ...decisionPacket({ ...approval, toolCall }),
        expiresAt: expiredAt,
      },
    });
    return true;
  });
}

/**
 * Runs `expireDueApprovals` every few seconds on a pg-boss queue: each tick queues the next one
 * before it finishes, and every process that starts workers queues one too (the `stately` policy
 * keeps that to one waiting tick), so a lost tick is replaced at the next start.
 */
export async function startApprovalMaintenance(boss: PgBoss): Promise<void> {
  await boss.createQueue(APPROVAL_MAINTENANCE, {
    policy: "stately",
    retryLimit: 2,
    retryDelay: INTERVAL_SECONDS,
    expireInSeconds: 120,
    deleteAfterSeconds: 3600,
  });
  await boss.work(APPROVAL_MAINTENANCE, { pollingIntervalSeconds: 2 }, async () => {
    // A failed pass is logged, not retried: the next tick comes in a few seconds anyway.
    // Escalation first: an item past its SLA is escalated before it can expire at a later tick.
    const escalated = await escalateOverdueApprovals().catch((error: unknown) => {
      log.error("approval escalation pass failed", { error });
      return 0;
    });
    if (escalated > 0) log.info("approvals escalated", { count: escalated });
    const expired = await expireDueApprovals().catch((error: unknown) => {
      log.error("approval maintenance failed", { error });
      return 0;
    });
    if (expired > 0) log.info("approvals expired", { count: expired });
    await boss.send(APPROVAL_MAINTENANCE, {}, { ...TICK, startAfter: INTERVAL_SECONDS });
  });
  await boss.send(APPROVAL_MAINTENANCE, {}, TICK);
}
