import "server-only";
import { executor } from "@/agents";
import { resumeIfDecided } from "@/lib/approvals/decide";
import { appendAudit, decisionPacket } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { openFollowUp } from "@/lib/follow-ups/open";
import type { Run } from "@/lib/generated/prisma/client";
import { ModelError } from "@/lib/model/types";
import { recordEvent } from "@/lib/trace/events";
import { postAssistantMessage } from "./messages";
import { transitionRun, transitionToolCall } from "./transitions";
import { log } from "@/lib/log";

/** The run waits for reviewers; the user is told what is waiting and why. */
export async function parkRun(run: Run) {
  const waiting = await db.approval.findMany({ where: { runId: run.id, status: "pending" }, include: { toolCall: true } });
  const agent = executor(run.agent!);
  const summary = waiting
    .map((a) => {
      const tool = agent.tools.find((t) => t.name === a.tool);
      return tool ? `${a.tool.replace(/_/g, " ")}: ${tool.summarize(a.toolCall.arguments as never)}` : a.tool;
    })
    .join("; ");
  await db.$transaction(async (tx) => {
    if (!(await transitionRun(tx, run.id, "awaiting_approval", "waiting for a reviewer"))) return;
    await postAssistantMessage(tx, run, `A member of our team needs to confirm this before I can go ahead (${summary}). I'll update you here as soon as they decide.`);
    // A reviewer may have decided between the proposal and this moment; the run row lock
    // taken by the transition orders the two, so one of them always resumes the run.
    await resumeIfDecided(tx, run.id);
  });
}

const HONEST_ENDINGS = {
  terminated: "I had to stop before finishing this request, and nothing irreversible was done. A member of our team has been told and will follow up here.",
  escalated: "This needs a person: I've handed your request to a member of our team, and nothing irreversible was done. They will follow up here.",
  failed: "Something went wrong on our side while handling this, and nothing irreversible was done. A member of our team will follow up here.",
};

/** Ends the run in a named terminal state with its reason, and tells the user honestly. */
export async function endRun(runId: string, to: "completed" | "failed" | "terminated", reason?: string, text?: string) {
  await db.$transaction(async (tx) => {
    const run = await tx.run.findUniqueOrThrow({ where: { id: runId } });
    if (!(await transitionRun(tx, runId, to, reason))) return;
    await closePendingApprovals(tx, runId);
    const ending = to === "completed" ? null : reason?.startsWith("escalated") ? "escalated" : to;
    await postAssistantMessage(tx, run, text ?? HONEST_ENDINGS[ending ?? "failed"]);
    // Every honest ending promises that a person follows up; the promise is queued with it.
    if (ending) await openFollowUp(tx, runId, `${to}: ${reason ?? "no reason recorded"}`);
  });
}

/**
 * Items still waiting on a run that ended can no longer be decided: they expire with it, traced
 * and audited like any expiry, so the trail has no silent gaps.
 */
async function closePendingApprovals(tx: Tx, runId: string) {
  const pending = await tx.approval.findMany({ where: { runId, status: "pending" }, include: { toolCall: true, run: { select: { request: true } } } });
  const why = "the run ended before a decision";
  for (const approval of pending) {
    await tx.approval.update({ where: { id: approval.id }, data: { status: "expired", decisionReason: why, claimedById: null, claimedUntil: null } });
    await transitionToolCall(tx, approval.toolCall, "expired");
    await recordEvent(tx, { runId, toolCallId: approval.toolCallId, kind: "decision", name: `expired: ${why}`, data: { decision: "expire", by: "system", reason: why } });
    await appendAudit(tx, { actorEmail: "system", action: "expired", approvalId: approval.id, runId, payload: { ...decisionPacket(approval), reason: why } });
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof ModelError) return `model_error: ${error.kind}`;
  log.error("run crashed", { error });
  return "internal_error";
}
