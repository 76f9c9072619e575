import "server-only";
import { db } from "@/lib/db";
import type { Approval, ToolCall } from "@/lib/generated/prisma/client";
import { describeCall, describeEdit, failureForCustomer } from "@/lib/customer-text/describe";
import { decisionMessage } from "@/lib/customer-text/messages";
import { isUnconfirmed } from "./outcomes";
import type { ContentBlock, ToolResultBlock, ToolUseBlock } from "@/lib/model/types";
import { FLAGGED_EVENT, findInstructionLike } from "./injection";
import { renewLease } from "./lease";
import { persistStep, type FinishedToolCall } from "./persist-step";
import type { RunState } from "./run-state";
import { SETTLED_TOOL_CALL_STATUSES } from "./state-machines";
import { executeToolCall, finishEvents, proposeToolCall, runAttempts, runTool } from "./tool-calls";
import { asUntrustedData } from "./untrusted";
import type { TraceInput } from "@/lib/trace/events";

type Answerable = Pick<ToolCall, "toolUseId" | "status" | "result" | "error"> & {
  approval?: { decisionReason: string | null } | null;
};

/**
 * Answers every call of the model's last turn and appends the answers as the next turn, or
 * returns false while any call waits for a human. Calls this worker recorded with the turn and
 * may run on their own are run in memory, and their outcome and the answers are written with the
 * next step (the hot path: no round trip of their own); anything else (a resumed run, an approved
 * call, a crash to recover from) goes through the database, call by call, as before.
 */
export async function settleTurn(state: RunState, content: ContentBlock[]): Promise<boolean> {
  const blocks = content.filter((b): b is ToolUseBlock => b.type === "tool_use");
  const fresh = blocks.map((b) => state.recorded.get(b.id));
  const inMemory = fresh.every(
    (c) => c && (c.status === "refused" || (c.status === "executing" && !c.irreversible)),
  );
  return inMemory
    ? settleInMemory(state, fresh as NonNullable<(typeof fresh)[number]>[])
    : settleFromDatabase(state, blocks);
}

async function settleInMemory(
  state: RunState,
  calls: NonNullable<ReturnType<RunState["recorded"]["get"]>>[],
): Promise<boolean> {
  const finished: FinishedToolCall[] = [];
  const events: Omit<TraceInput, "runId">[] = [];
  const answers: Answerable[] = [];
  for (const call of calls) {
    if (call.status === "refused") {
      answers.push({
        toolUseId: call.toolUseId,
        status: "refused",
        result: null,
        error: call.error as never,
      });
      continue;
    }
    const tool = runTool(state.agent.name, call.tool)!;
    const outcome = await runAttempts(
      state,
      { ...call, runId: state.run.id, arguments: call.arguments as never },
      tool as never,
    );
    finished.push({
      id: call.id,
      status: outcome.to,
      result: outcome.data.result,
      error: outcome.data.error,
      attempts: outcome.attempts,
    });
    events.push(
      ...finishEvents(
        { id: call.id, tool: call.tool, arguments: call.arguments as never },
        outcome,
      ),
    );
    answers.push({
      toolUseId: call.toolUseId,
      status: outcome.to,
      result: (outcome.data.result ?? null) as never,
      error: (outcome.data.error ?? null) as never,
    });
  }
  // Not written here: the next step write carries it (RunState.unsaved), so a step is one write.
  const turn = { role: "user" as const, content: answers.map(toolResult) };
  const texts = calls.flatMap((c) => (c.status === "refused" ? policyRefusalTold(c.error) : []));
  state.unsaved = {
    finished,
    events,
    turns: [turn],
    ...(texts.length > 0 && { tell: { conversationId: state.run.conversationId, texts } }),
  };
  state.transcript.push(turn);
  for (const a of answers) {
    state.loops.settle(a.toolUseId, a.status);
    state.recorded.delete(a.toolUseId);
  }
  if (events.some((e) => e.name === FLAGGED_EVENT)) state.untrustedFlagged = true;
  return true;
}

async function settleFromDatabase(state: RunState, blocks: ToolUseBlock[]): Promise<boolean> {
  const runId = state.run.id;
  const ids = blocks.map((b) => b.id);
  let proposed = await db.toolCall.findMany({ where: { runId, toolUseId: { in: ids } } });
  // A worker that died after saving the turn and before recording all its calls left some
  // unproposed: propose them now (the turn is the model call that asked for them).
  const missing = blocks.filter((b) => !proposed.some((c) => c.toolUseId === b.id));
  if (missing.length > 0) {
    for (const block of missing)
      state.loops.record(await proposeToolCall(state, state.usage.iterations, block));
    proposed = await db.toolCall.findMany({ where: { runId, toolUseId: { in: ids } } });
  }
  for (const call of proposed) {
    if (call.status === "proposed" || call.status === "approved" || call.status === "executing") {
      // Fenced: a worker that lost the run never starts a call.
      await renewLease(runId, state.workerId);
      await executeToolCall(state, call);
    }
  }
  const calls = await db.toolCall.findMany({
    where: { runId, toolUseId: { in: ids } },
    include: { approval: true },
  });
  for (const call of calls) {
    state.loops.settle(call.toolUseId, call.status);
    state.recorded.delete(call.toolUseId);
    if (call.status === "succeeded" && findInstructionLike(JSON.stringify(call.result)))
      state.untrustedFlagged = true;
  }
  if (calls.some((c) => !SETTLED_TOOL_CALL_STATUSES.includes(c.status))) return false;
  // Time spent waiting for reviewers does not count against the run's wall-clock deadline.
  const deadlineAt = calls.some((c) => c.approval)
    ? new Date(Date.now() + state.settings.deadlineSeconds * 1000)
    : undefined;
  // What people decided about the parked calls, told by the product (never left to the model),
  // in the same write as the answers the model reads.
  const texts = ids.flatMap((id) => {
    const call = calls.find((c) => c.toolUseId === id)!;
    if (call.status === "refused") return policyRefusalTold(call.error);
    const told = decisionTold(state.agent.name, call);
    return told ? [told] : [];
  });
  await persistStep(state, {
    deadlineAt,
    events: [],
    turns: [
      {
        role: "user",
        content: ids.map((id) => toolResult(calls.find((c) => c.toolUseId === id)!)),
      },
    ],
    ...(texts.length > 0 && { tell: { conversationId: state.run.conversationId, texts } }),
  });
  return true;
}

/**
 * A policy rule's refusal (lib/policy: `deny`) is told by the product in the rule's own words,
 * written for the customer, like a reviewer's decision; other refusals are the model's to explain.
 */
function policyRefusalTold(error: unknown): string[] {
  const { customerMessage } = (error ?? {}) as { customerMessage?: unknown };
  return typeof customerMessage === "string" ? [customerMessage] : [];
}

/** The customer's message about a parked call that people (or the clock) decided; null for a call nobody had to decide. */
function decisionTold(
  agent: string,
  call: ToolCall & { approval: Approval | null },
): string | null {
  const { approval } = call;
  if (!approval) return null;
  const tool = runTool(agent, call.tool);
  if (approval.status === "rejected")
    return decisionMessage({
      decision: "rejected",
      what: describeCall(tool, approval.proposedArguments),
      reason: approval.decisionReason,
    });
  if (approval.status === "expired")
    return decisionMessage({
      decision: "expired",
      what: describeCall(tool, approval.proposedArguments),
    });
  if (approval.status !== "approved") return null;
  const approved = approval.approvedArguments ?? call.arguments;
  const edited = approval.approvedHash !== null && approval.approvedHash !== approval.proposedHash;
  const outcome =
    call.status === "succeeded"
      ? "done"
      : call.status === "expired"
        ? "not_run"
        : isUnconfirmed(call)
          ? "unconfirmed"
          : "failed";
  return decisionMessage({
    decision: "approved",
    what: describeCall(tool, approved),
    ...(edited && {
      edit: {
        change: describeEdit(tool, approval.proposedArguments, approved),
        note: approval.decisionReason,
      },
    }),
    outcome,
    ...(outcome === "failed" || outcome === "unconfirmed"
      ? { failure: failureForCustomer(call.error), followUp: call.irreversible }
      : {}),
  });
}

function toolResult(call: Answerable): ToolResultBlock {
  const answer = (payload: unknown, isError: boolean): ToolResultBlock => ({
    type: "tool_result",
    tool_use_id: call.toolUseId,
    content: asUntrustedData(payload),
    ...(isError && { is_error: true }),
  });
  switch (call.status) {
    case "succeeded":
      return answer(call.result, false);
    case "rejected":
      return answer(
        { status: "rejected", reason: call.approval?.decisionReason ?? "No reason given" },
        true,
      );
    case "expired":
      return answer(
        { status: "expired", message: "No reviewer decided in time; nothing was done" },
        true,
      );
    default:
      return answer({ status: call.status, ...(call.error as Record<string, unknown>) }, true);
  }
}
