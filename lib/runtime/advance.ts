import "server-only";
import { EXECUTOR_FOR_INTENT } from "@/agents/router";
import { executor } from "@/agents";
import type { ExecutorSpec } from "@/agents/types";
import { db } from "@/lib/db";
import type { Prisma, Run, ToolCall } from "@/lib/generated/prisma/client";
import { MODEL_TIERS } from "@/lib/model/pricing";
import { ModelError, type ChatMessage, type ContentBlock, type ModelProvider, type ToolResultBlock } from "@/lib/model/types";
import { resumeIfDecided } from "@/lib/approvals/decide";
import { recordEvent } from "@/lib/trace/events";
import { crashPoint } from "./crash-points";
import { checkLimits } from "./limits";
import { postAssistantMessage } from "./messages";
import { callModel } from "./model-call";
import { classifyRequest } from "./route";
import { SETTLED_TOOL_CALL_STATUSES } from "./state-machines";
import { executeToolCall, proposeToolCall, toolDefinitions } from "./tool-calls";
import { transitionRun } from "./transitions";
import { asUntrustedData } from "./untrusted";

export type RuntimeDeps = { model: ModelProvider; workerId: string };

const LEASE_MS = 120_000;

/**
 * Advances one run as far as it can go: routing, model steps, tool calls, until it completes,
 * ends on a limit or failure, or parks for a human. Safe to call any number of times: a lease
 * keeps two workers off one run, and every step is keyed to the run's stored state.
 */
export async function advanceRun(runId: string, deps: RuntimeDeps): Promise<"advanced" | "busy" | "idle"> {
  const claimed = await db.run.updateMany({
    where: {
      id: runId,
      status: { in: ["queued", "routing", "running"] },
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }],
    },
    data: { leaseOwner: deps.workerId, leaseUntil: new Date(Date.now() + LEASE_MS) },
  });
  crashPoint("before_advance");
  if (claimed.count === 0) {
    // Another worker holds the lease (the queue retries later), or there is nothing to do.
    const run = await db.run.findUnique({ where: { id: runId }, select: { status: true } });
    return run && ["queued", "routing", "running"].includes(run.status) ? "busy" : "idle";
  }
  try {
    await drive(runId, deps);
  } catch (error) {
    await endRun(runId, "failed", describeFailure(error));
  } finally {
    await db.run.updateMany({ where: { id: runId, leaseOwner: deps.workerId }, data: { leaseOwner: null, leaseUntil: null } });
  }
  return "advanced";
}

async function drive(runId: string, deps: RuntimeDeps) {
  let run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { user: { select: { email: true } } } });
  if (run.status === "queued" || run.status === "routing") {
    await route(run, deps);
    run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { user: { select: { email: true } } } });
  }
  if (run.status !== "running" || !run.agent) return;
  const agent = executor(run.agent);
  const transcript = run.transcript as ChatMessage[];

  for (;;) {
    const last = transcript.at(-1);
    if (last?.role === "assistant" && last.content.some((b) => b.type === "tool_use")) {
      const settled = await settleTurn(agent, run, last.content);
      if (!settled) return parkRun(run);
      transcript.push({ role: "user", content: settled });
      await saveTranscript(run.id, transcript);
    }

    const current = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    const hit = checkLimits(current, agent.limits);
    if (hit) {
      await db.$transaction((tx) => recordEvent(tx, { runId: run.id, kind: "limit", name: hit.limit, data: hit }));
      return endRun(run.id, "terminated", `${hit.limit}: ${hit.message}`);
    }

    const response = await callModel(deps.model, run.id, "executor", {
      model: MODEL_TIERS[agent.tier],
      system: agent.system,
      messages: transcript,
      tools: toolDefinitions(agent),
      toolChoice: { type: "auto" },
      maxTokens: 1024,
      timeoutMs: 60_000,
    });
    const content: ContentBlock[] = response.content.length ? response.content : [{ type: "text", text: "" }];
    transcript.push({ role: "assistant", content });
    await saveTranscript(run.id, transcript);

    const toolUses = content.filter((b) => b.type === "tool_use");
    if (toolUses.length === 0) {
      const text = content.map((b) => (b.type === "text" ? b.text : "")).join("\n").trim();
      if (!text) return endRun(run.id, "failed", "The model returned an empty answer");
      return endRun(run.id, "completed", undefined, text);
    }
    for (const block of toolUses) await proposeToolCall(agent, run.id, current.iterations + 1, block);
  }
}

/** Executes what may run, and answers every call of the turn, or returns null while any waits for a human. */
async function settleTurn(agent: ExecutorSpec, run: Run & { user: { email: string } }, content: ContentBlock[]): Promise<ToolResultBlock[] | null> {
  const ids = content.flatMap((b) => (b.type === "tool_use" ? [b.id] : []));
  const proposed = await db.toolCall.findMany({ where: { runId: run.id, toolUseId: { in: ids } } });
  for (const call of proposed) {
    if (call.status === "proposed" || call.status === "approved" || call.status === "executing") {
      await executeToolCall(agent, call, run.user.email);
    }
  }
  const calls = await db.toolCall.findMany({ where: { runId: run.id, toolUseId: { in: ids } }, include: { approval: true } });
  if (calls.some((c) => !SETTLED_TOOL_CALL_STATUSES.includes(c.status))) return null;
  return ids.map((id) => toolResult(calls.find((c) => c.toolUseId === id)!));
}

function toolResult(call: ToolCall & { approval: { decisionReason: string | null } | null }): ToolResultBlock {
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
      return answer({ status: "rejected", reason: call.approval?.decisionReason ?? "No reason given" }, true);
    case "expired":
      return answer({ status: "expired", message: "No reviewer decided in time; nothing was done" }, true);
    default:
      return answer({ status: call.status, ...(call.error as Record<string, unknown>) }, true);
  }
}

async function route(run: Run, deps: RuntimeDeps) {
  if (run.status === "queued") await db.$transaction((tx) => transitionRun(tx, run.id, "routing"));
  const verdict = await classifyRequest(deps.model, run.id, run.request);
  const agent = EXECUTOR_FOR_INTENT[verdict.intent];
  const spec = executor(agent);
  await db.$transaction(async (tx) => {
    await recordEvent(tx, { runId: run.id, kind: "routing", name: `${verdict.intent} → ${agent}`, data: verdict });
    const pinned: ChatMessage[] = [{ role: "user", content: run.request }];
    await transitionRun(tx, run.id, "running", verdict.fallback ? "router fell back to general enquiry" : undefined, {
      agent,
      intent: verdict.intent,
      intentConfidence: verdict.confidence,
      transcript: pinned as unknown as Prisma.InputJsonValue,
      deadlineAt: new Date(Date.now() + spec.limits.deadlineSeconds * 1000),
    });
  });
}

async function parkRun(run: Run) {
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

async function endRun(runId: string, to: "completed" | "failed" | "terminated", reason?: string, text?: string) {
  await db.$transaction(async (tx) => {
    const run = await tx.run.findUniqueOrThrow({ where: { id: runId } });
    if (!(await transitionRun(tx, runId, to, reason))) return;
    const message =
      text ??
      (to === "terminated"
        ? "I had to stop before finishing this request, and nothing irreversible was done. A member of our team has been told and will follow up here."
        : "Something went wrong on our side while handling this, and nothing irreversible was done. A member of our team will follow up here.");
    await postAssistantMessage(tx, run, message);
  });
}

function describeFailure(error: unknown): string {
  if (error instanceof ModelError) return `model_error: ${error.kind}`;
  console.error(JSON.stringify({ level: "error", msg: "run crashed", error: String(error), stack: (error as Error)?.stack }));
  return "internal_error";
}

async function saveTranscript(runId: string, transcript: ChatMessage[]) {
  await db.run.update({ where: { id: runId }, data: { transcript: transcript as unknown as Prisma.InputJsonValue } });
}
