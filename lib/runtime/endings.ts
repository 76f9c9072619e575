import "server-only";
import { db, type Tx } from "@/lib/db";
import { openFollowUp } from "@/lib/follow-ups/open";
import type { Run } from "@/lib/generated/prisma/client";
import { ModelError } from "@/lib/model/types";
import { recordEvent } from "@/lib/trace/events";
import { runtimeHooks } from "./hooks";
import { postAssistantMessage } from "./messages";
import { followUpFacts, irreversibleOutcomes } from "./outcomes";
import { describeCall } from "@/lib/customer-text/describe";
import { endingMessage, parkedMessage } from "@/lib/customer-text/messages";
import { runTool } from "./tool-calls";
import { transitionRun, transitionToolCall } from "./transitions";
import { log } from "@/lib/log";

/**
 * The run waits for reviewers. The customer reads what the model said with the calls that wait
 * (answers to the other parts of the request), then what waits, in their own words.
 */
export async function parkRun(run: Run, said?: string) {
  const waiting = await db.approval.findMany({
    where: { runId: run.id, status: "pending" },
    include: { toolCall: { select: { arguments: true } } },
    orderBy: { createdAt: "asc" },
  });
  const what = waiting.map((a) => describeCall(runTool(a.agent, a.tool), a.toolCall.arguments));
  await db.$transaction(async (tx) => {
    if (!(await transitionRun(tx, run.id, "awaiting_approval", "waiting for a reviewer"))) return;
    // (said once: a run that parks again on the same turn has already shown it)
    if (
      said?.trim() &&
      (await tx.message.count({ where: { runId: run.id, text: said.trim() } })) === 0
    )
      await postAssistantMessage(tx, run, said.trim());
    await postAssistantMessage(tx, run, parkedMessage(what));
    // A reviewer may have decided between the proposal and this moment; the run row lock
    // taken by the transition orders the two, so one of them always resumes the run (approvals'
    // onPark hook).
    for (const hook of (await runtimeHooks()).onPark) await hook(tx, run.id);
  });
}

/**
 * Ends the run in a named terminal state with its reason, and tells the user honestly: what a
 * run that stopped did and did not do is read from its calls' recorded outcomes, in the same
 * transaction, never assumed.
 */
export async function endRun(
  runId: string,
  to: "completed" | "failed" | "terminated",
  reason?: string,
  text?: string,
) {
  await db.$transaction(async (tx) => {
    const run = await tx.run.findUniqueOrThrow({ where: { id: runId } });
    if (!(await transitionRun(tx, runId, to, reason))) return;
    // Items still waiting can no longer be decided (approvals' onEnd hook).
    for (const hook of (await runtimeHooks()).onEnd) await hook(tx, runId);
    await settleUnfinishedCalls(tx, runId);
    // The kill switch's ending (lib/agent-pause) is named by its reason, as an escalation is.
    const ending =
      to === "completed"
        ? null
        : reason?.startsWith("escalated")
          ? "escalated"
          : reason?.startsWith("paused:")
            ? "paused"
            : to;
    const outcomes = ending ? await irreversibleOutcomes(tx, runId, run.agent) : null;
    await postAssistantMessage(
      tx,
      run,
      text ?? endingMessage(ending ?? "failed", outcomes ?? { done: [], unknown: [], notDone: [] }),
    );
    // Every honest ending promises that a person follows up; the promise is queued with it.
    if (ending)
      await openFollowUp(
        tx,
        runId,
        `${to}: ${reason ?? "no reason recorded"}${followUpFacts(outcomes!)}`,
      );
  });
}

/**
 * A run that ends leaves no call half-way. An approved call that never started was not carried
 * out: it expires (nothing was done). A call still executing may or may not have taken effect at
 * the external system: it is recorded as unconfirmed, for the follow-up to check.
 */
async function settleUnfinishedCalls(tx: Tx, runId: string) {
  const unfinished = await tx.toolCall.findMany({
    where: { runId, status: { in: ["approved", "executing"] } },
  });
  for (const call of unfinished) {
    if (call.status === "approved") {
      await transitionToolCall(tx, call, "expired", {
        error: {
          kind: "not_executed",
          message: "Approved, but the run ended before it was carried out; nothing was done",
        },
      });
    } else {
      const error = {
        kind: "outcome_unknown",
        message: `The run ended while this call was in flight; check the external system for idempotency key ${call.idempotencyKey}`,
      };
      await transitionToolCall(tx, call, "failed", { error });
      await recordEvent(tx, {
        runId,
        toolCallId: call.id,
        kind: "tool_call",
        name: `${call.tool} · outcome unknown`,
        data: { error },
      });
    }
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof ModelError) return `model_error: ${error.kind}`;
  log.error("run crashed", { error });
  return "internal_error";
}
