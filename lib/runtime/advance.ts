import "server-only";
import { db } from "@/lib/db";
import { isConnectionError } from "@/lib/db/connection-errors";
import type { Prisma, ToolCall } from "@/lib/generated/prisma/client";
import { MODEL_TIERS } from "@/lib/model/pricing";
import type { ChatMessage, ContentBlock, ModelProvider, ToolResultBlock, ToolUseBlock } from "@/lib/model/types";
import { scratchSession } from "@/lib/replay/session";
import { recordEvent } from "@/lib/trace/events";
import { buildPrompt, estimateTokens } from "./context";
import { crashPoint } from "./crash-points";
import { LEASE_MS, LeaseLost, renewLease, startHeartbeat } from "./lease";
import { describeFailure, endRun, parkRun } from "./endings";
import { HANDOFF_INSTRUCTION } from "./handoff";
import { checkLimits } from "./limits";
import { detectLoop } from "./loops";
import { callModel } from "./model-call";
import { routeRun } from "./route";
import { loadRunContext, type RunContext } from "./run-context";
import { SETTLED_TOOL_CALL_STATUSES } from "./state-machines";
import { executeToolCall, proposeToolCall, toolDefinitions } from "./tool-calls";
import { asUntrustedData } from "./untrusted";

export type RuntimeDeps = {
  model: ModelProvider;
  workerId: string;
  /** false: renew the lease only at step boundaries (tests that play a worker about to die). */
  heartbeat?: boolean;
};

const ACTIVE = ["queued", "routing", "running"] as const;

/**
 * Advances one run as far as it can go: routing, model steps, tool calls, until it completes,
 * ends on a limit or failure, or parks for a human. Safe to call any number of times: a lease
 * keeps two workers off one run, and every step is keyed to the run's stored state.
 */
export async function advanceRun(runId: string, deps: RuntimeDeps): Promise<"advanced" | "busy" | "idle"> {
  const claimed = await db.run.updateMany({
    where: { id: runId, status: { in: [...ACTIVE] }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }] },
    data: { leaseOwner: deps.workerId, leaseUntil: new Date(Date.now() + LEASE_MS) },
  });
  crashPoint("before_advance");
  if (claimed.count === 0) {
    // Another worker holds the lease (the queue retries later), or there is nothing to do.
    const run = await db.run.findUnique({ where: { id: runId }, select: { status: true } });
    return run && (ACTIVE as readonly string[]).includes(run.status) ? "busy" : "idle";
  }
  const stopHeartbeat = deps.heartbeat === false ? () => {} : startHeartbeat(runId, deps.workerId);
  try {
    await drive(runId, deps);
  } catch (error) {
    // A worker that lost its lease stops quietly: the run is in other hands.
    if (error instanceof LeaseLost) return "busy";
    // The database went away mid-step: the run is as its last commit left it. The job is retried
    // (or the watchdog resumes the run) instead of failing a run that nothing is wrong with.
    if (isConnectionError(error)) throw error;
    await endRun(runId, "failed", describeFailure(error));
  } finally {
    stopHeartbeat();
    await db.run.updateMany({ where: { id: runId, leaseOwner: deps.workerId }, data: { leaseOwner: null, leaseUntil: null } });
  }
  return "advanced";
}

async function drive(runId: string, live: RuntimeDeps) {
  const stored = await db.run.findUniqueOrThrow({ where: { id: runId } });
  // ── scratch runs (lib/replay): replay and shadow runs get their own model and session ──
  const scratch = await scratchSession(stored, live.model);
  const deps = scratch ? { ...live, model: scratch.model, scratch } : live;
  if (stored.status === "queued" || stored.status === "routing") await routeRun(stored, deps);
  const ctx = await loadRunContext(runId);
  if (!ctx || ctx.run.status !== "running") return;
  if (scratch) ctx.scratch = scratch;
  const { run, settings } = ctx;
  const transcript = run.transcript as ChatMessage[];

  for (;;) {
    const last = transcript.at(-1);
    if (last?.role === "assistant" && last.content.some((b) => b.type === "tool_use")) {
      const settled = await settleTurn(ctx, last.content, deps.workerId);
      if (!settled) return parkRun(run);
      transcript.push({ role: "user", content: settled });
      await saveTranscript(run.id, transcript);
    }

    const usage = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    const hit = checkLimits(usage, settings);
    if (hit) return stop(run.id, "limit", hit.limit, hit.message, `${hit.limit}: ${hit.message}`);

    const tools = toolDefinitions(ctx);
    const system = `${ctx.agent.system}\n${HANDOFF_INSTRUCTION}`;
    const prompt = buildPrompt(transcript, settings.contextBudgetTokens, estimateTokens(system) + estimateTokens(tools));
    if (!prompt.fits) {
      const message = `The smallest prompt (${prompt.estimatedTokens} tokens) exceeds the ${settings.contextBudgetTokens}-token context budget`;
      return stop(run.id, "limit", "context_budget", message, `context_budget: ${message}`);
    }
    const response = await callModel(deps.model, run.id, "executor", {
      model: MODEL_TIERS[settings.tier],
      system,
      messages: prompt.messages,
      tools,
      toolChoice: { type: "auto" },
      maxTokens: 1024,
      timeoutMs: 60_000,
      agent: ctx.agent.name,
    }, { estimatedPromptTokens: prompt.estimatedTokens, foldedSteps: prompt.foldedSteps });
    await renewLease(run.id, deps.workerId);
    const content: ContentBlock[] = response.content.length ? response.content : [{ type: "text", text: "" }];

    const toolUses = content.filter((b): b is ToolUseBlock => b.type === "tool_use");
    if (toolUses.length === 0) {
      const text = content.map((b) => (b.type === "text" ? b.text : "")).join("\n").trim();
      if (!text) return endRun(run.id, "failed", "The model returned an empty answer");
      transcript.push({ role: "assistant", content });
      await saveTranscript(run.id, transcript);
      return endRun(run.id, "completed", undefined, text);
    }
    const reused = await repeatedToolUseIds(run.id, toolUses);
    if (reused) return endRun(run.id, "failed", `model_error: protocol: tool_use id ${reused} used twice`);
    const loop = await detectLoop(run.id, toolUses, settings.loopThreshold);
    if (loop) {
      const outcome = settings.onLoop === "escalate" ? "escalated" : "loop";
      return stop(run.id, "limit", `loop · ${loop.kind}`, loop.message, `${outcome}: ${loop.kind}: ${loop.message}`);
    }
    transcript.push({ role: "assistant", content });
    await saveTranscript(run.id, transcript);
    crashPoint("after_turn_saved");
    for (const block of toolUses) await proposeToolCall(ctx, usage.iterations + 1, block);
  }
}

async function stop(runId: string, kind: "limit", name: string, message: string, reason: string) {
  await db.$transaction((tx) => recordEvent(tx, { runId, kind, name, data: { message } }));
  await endRun(runId, "terminated", reason);
}

/** Executes what may run, and answers every call of the turn, or returns null while any waits for a human. */
async function settleTurn(ctx: RunContext, content: ContentBlock[], workerId: string): Promise<ToolResultBlock[] | null> {
  const ids = content.flatMap((b) => (b.type === "tool_use" ? [b.id] : []));
  let proposed = await db.toolCall.findMany({ where: { runId: ctx.run.id, toolUseId: { in: ids } } });
  // A worker that died after saving the turn and before recording all its calls left some
  // unproposed: propose them now (the turn is the model call that asked for them).
  const missing = content.filter((b): b is ToolUseBlock => b.type === "tool_use" && !proposed.some((c) => c.toolUseId === b.id));
  if (missing.length > 0) {
    const { iterations } = await db.run.findUniqueOrThrow({ where: { id: ctx.run.id }, select: { iterations: true } });
    for (const block of missing) await proposeToolCall(ctx, iterations, block);
    proposed = await db.toolCall.findMany({ where: { runId: ctx.run.id, toolUseId: { in: ids } } });
  }
  for (const call of proposed) {
    if (call.status === "proposed" || call.status === "approved" || call.status === "executing") {
      await renewLease(ctx.run.id, workerId);
      await executeToolCall(ctx, call);
    }
  }
  const calls = await db.toolCall.findMany({ where: { runId: ctx.run.id, toolUseId: { in: ids } }, include: { approval: true } });
  if (calls.some((c) => !SETTLED_TOOL_CALL_STATUSES.includes(c.status))) return null;
  // Time spent waiting for reviewers does not count against the run's wall-clock deadline.
  if (calls.some((c) => c.approval)) {
    await db.run.update({ where: { id: ctx.run.id }, data: { deadlineAt: new Date(Date.now() + ctx.settings.deadlineSeconds * 1000) } });
  }
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
      return answer({ status: "rejected", reason: call.approval?.decisionReason ?? (call.error as { reason?: string } | null)?.reason ?? "No reason given" }, true);
    case "expired":
      return answer({ status: "expired", message: "No reviewer decided in time; nothing was done" }, true);
    default:
      return answer({ status: call.status, ...(call.error as Record<string, unknown>) }, true);
  }
}

/** A model that reuses a tool_use id breaks the protocol; the run cannot tell its calls apart. */
async function repeatedToolUseIds(runId: string, blocks: ToolUseBlock[]): Promise<string | null> {
  const ids = blocks.map((b) => b.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) return twice;
  const earlier = await db.toolCall.findFirst({ where: { runId, toolUseId: { in: ids } }, select: { toolUseId: true } });
  return earlier?.toolUseId ?? null;
}

async function saveTranscript(runId: string, transcript: ChatMessage[]) {
  await db.run.update({ where: { id: runId }, data: { transcript: transcript as unknown as Prisma.InputJsonValue } });
}
