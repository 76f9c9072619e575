import "server-only";
import { z } from "zod";
import { safeText } from "@/lib/validation/text";
import { appendAudit, decisionPacket } from "@/lib/audit/log";
import type { Actor } from "@/lib/auth/actor";
import { db, type Tx } from "@/lib/db";
import { AppError, describeIssues } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { enqueueAdvance } from "@/lib/jobs/queue";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import { transitionRun, transitionToolCall } from "@/lib/runtime/transitions";
import { registry } from "@/lib/agents";
import { stableHash } from "@/lib/idempotency/hash";
import { recordEvent } from "@/lib/trace/events";
import { transitionApproval } from "./transitions";
import { isExternalRun } from "@/lib/external/agents";
import { externalEditSchema } from "@/lib/external/arguments";
import { settleExternalDecision } from "@/lib/external/decisions";

const base = { approvalId: z.uuid({ message: "Unknown approval" }), expectedHash: z.string().regex(/^[0-9a-f]{64}$/).optional() };

export const decisionInput = z.discriminatedUnion("decision", [
  z.object({ ...base, decision: z.literal("approve") }),
  z.object({ ...base, decision: z.literal("reject"), reason: safeText().trim().min(3, "Give the reason in a few words").max(1000) }),
  z.object({ ...base, decision: z.literal("edit"), arguments: z.record(z.string(), z.unknown()), reason: safeText().trim().max(1000).optional() }),
]);
export type DecisionInput = z.infer<typeof decisionInput>;

export type DecisionOutcome = { approvalId: string; status: "approved" | "rejected"; decidedBy: string; decidedAt: string; runResumed: boolean };

/**
 * A decision is a conditional update of a pending approval, bound to the hash of the arguments
 * the reviewer saw. The losing side of a race gets a conflict naming who decided, never a second
 * execution. The job that resumes the run commits in the same transaction.
 */
export async function decideApproval(actor: Actor, input: DecisionInput): Promise<DecisionOutcome> {
  const approval = await db.approval.findUnique({ where: { id: input.approvalId }, include: { run: { select: { userId: true, agent: true, request: true } } } });
  if (!approval) throw new AppError("not_found", "This approval does not exist.");
  if (approval.run.userId === actor.id) throw new AppError("forbidden", "You cannot decide on a request you made yourself.");

  let approvedArguments: Prisma.InputJsonValue | undefined;
  if (input.decision === "edit") {
    // External agents (lib/external): their call's own input_schema checks an edit.
    const external = await externalEditSchema(db, approval.runId);
    const tool = external ? { input: external.schema ?? z.record(z.string(), z.unknown()) } : registry.tool(approval.agent, approval.tool);
    const parsed = tool?.input.safeParse(input.arguments);
    if (!parsed?.success) throw new AppError("invalid_input", parsed ? describeIssues(parsed.error) : "Unknown tool");
    approvedArguments = parsed.data as Prisma.InputJsonValue;
  } else if (input.decision === "approve") {
    approvedArguments = approval.proposedArguments as Prisma.InputJsonValue;
  }
  const status = input.decision === "reject" ? "rejected" : "approved";
  const decidedAt = new Date();
  const reason = input.decision === "approve" ? null : (input.reason ?? null);

  return db.$transaction(async (tx) => {
    // The run's row lock orders this decision against the run parking itself (see parkRun).
    const [run] = await tx.$queryRaw<{ status: string }[]>`select status from runs where id = ${approval.runId}::uuid for update`;
    const won = await transitionApproval(
      tx,
      approval.id,
      status,
      {
        decidedById: actor.id,
        decidedAt,
        decisionReason: reason,
        ...(approvedArguments !== undefined && { approvedArguments, approvedHash: stableHash(approvedArguments) }),
      },
      // An item past its time to live is expired, even before the maintenance job has marked it.
      { expiresAt: { gt: decidedAt }, ...(input.expectedHash && { proposedHash: input.expectedHash }) },
    );
    if (!won) throw await conflict(tx, approval.id, decidedAt);
    // Throwing rolls the update back: a run that ended takes no more decisions.
    if (run && (TERMINAL_RUN_STATUSES as readonly string[]).includes(run.status)) {
      throw new AppError("conflict", `The run has already ended (${run.status}); nothing was decided.`);
    }

    const toolCall = await tx.toolCall.findUniqueOrThrow({ where: { id: approval.toolCallId } });
    await transitionToolCall(tx, toolCall, status, approvedArguments !== undefined ? { arguments: approvedArguments, argsHash: stableHash(approvedArguments) } : {});
    await recordEvent(tx, {
      runId: approval.runId,
      toolCallId: toolCall.id,
      kind: "decision",
      name: `${input.decision === "edit" ? "edited and approved" : status} by ${actor.email}`,
      data: {
        decision: input.decision,
        by: actor.email,
        reason,
        proposed: approval.proposedArguments as Prisma.InputJsonValue,
        ...(approvedArguments !== undefined && { approved: approvedArguments }),
      },
    });
    const runResumed = await resumeIfDecided(tx, approval.runId);
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: AUDIT_ACTION[input.decision],
      approvalId: approval.id,
      runId: approval.runId,
      payload: {
        ...decisionPacket({ ...approval, toolCall }),
        seenHash: input.expectedHash ?? null,
        ...(approvedArguments !== undefined && { approved: approvedArguments, approvedHash: stableHash(approvedArguments) }),
        reason,
      },
    });
    return { approvalId: approval.id, status, decidedBy: actor.email, decidedAt: decidedAt.toISOString(), runResumed };
  });
}

/** Once no call of a parked run waits for a human, the run goes back to work. */
export async function resumeIfDecided(tx: Tx, runId: string): Promise<boolean> {
  const pending = await tx.approval.count({ where: { runId, status: "pending" } });
  if (pending > 0) return false;
  // External runs (lib/external) are not resumed by the engine: the agent carries the call out.
  if (await isExternalRun(tx, runId)) return settleExternalDecision(tx, runId);
  if (!(await transitionRun(tx, runId, "running", "all pending calls decided"))) return false;
  await enqueueAdvance(tx, runId);
  return true;
}

const AUDIT_ACTION = { approve: "approved", edit: "edited", reject: "rejected" } as const;

async function conflict(tx: Tx, approvalId: string, now: Date) {
  const current = await tx.approval.findUniqueOrThrow({ where: { id: approvalId }, include: { decidedBy: { select: { email: true } } } });
  if (current.status === "expired" || (current.status === "pending" && current.expiresAt <= now)) {
    const expiredAt = current.expiresAt.toISOString();
    return new AppError("conflict", `This item expired at ${expiredAt}; nothing was decided.`, { status: "expired", expiredAt });
  }
  if (current.status === "pending") return new AppError("conflict", "The proposed call changed since you opened it. Reload and review it again.");
  const who = current.decidedBy?.email ?? "the system";
  const when = current.decidedAt?.toISOString() ?? "an earlier time";
  return new AppError("conflict", `Already ${current.status} by ${who} at ${when}.`, { status: current.status, decidedBy: who, decidedAt: when });
}
