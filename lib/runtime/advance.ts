import "server-only";
import { db } from "@/lib/db";
import { isConnectionError } from "@/lib/db/connection-errors";
import type { ContentBlock, ModelProvider, ToolUseBlock } from "@/lib/model/types";
import { MODEL_TIERS } from "@/lib/model/pricing";
import { recordEvent } from "@/lib/trace/events";
import { buildPrompt, estimateTokens } from "./prompt";
import { crashPoint } from "./crash-points";
import { describeFailure, endRun, parkRun } from "./endings";
import { HANDOFF_INSTRUCTION } from "./handoff";
import { CUSTOMER_RULES } from "./customer-rules";
import { LeaseLost, startHeartbeat } from "./lease";
import { checkLimits } from "./limits";
import { invokeModel } from "./model-call";
import { flushUnsaved, persistStep } from "./persist-step";
import { routeRun } from "./route";
import { claimRun } from "./route-writes";
import { loadRunState, type RunState } from "./run-state";
import { settleTurn } from "./settle-turn";
import { runtimeHooks } from "./hooks";
import { stopBeforeStep } from "./stops";
import { judgeProposal, planProposal, proposeToolCall, toolDefinitions } from "./tool-calls";
import type { RunMode } from "@/lib/generated/prisma/enums";

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
export async function advanceRun(
  runId: string,
  deps: RuntimeDeps,
): Promise<"advanced" | "busy" | "idle"> {
  // The claim returns what routing needs (and moves a queued run to routing), so the run is not read again before it starts.
  const claimed = await claimRun(runId, deps.workerId, new Date());
  crashPoint("before_advance");
  if (!claimed) {
    // Another worker holds the lease (the queue retries later), or there is nothing to do.
    const run = await db.run.findUnique({ where: { id: runId }, select: { status: true } });
    return run && (ACTIVE as readonly string[]).includes(run.status) ? "busy" : "idle";
  }
  const stopHeartbeat = deps.heartbeat === false ? () => {} : startHeartbeat(runId, deps.workerId);
  // A run that completed in its last step's write let go of its lease in that write.
  let released = false;
  try {
    released = (await drive({ id: runId, ...claimed }, deps)) === "released";
  } catch (error) {
    // A worker that lost its lease stops quietly: the run is in other hands.
    if (error instanceof LeaseLost) return "busy";
    // The database went away mid-step: the run is as its last commit left it. The job is retried
    // (or the watchdog resumes the run) instead of failing a run that nothing is wrong with.
    if (isConnectionError(error)) throw error;
    await endRun(runId, "failed", describeFailure(error));
  } finally {
    stopHeartbeat();
    if (!released)
      await db.run.updateMany({
        where: { id: runId, leaseOwner: deps.workerId },
        data: { leaseOwner: null, leaseUntil: null },
      });
  }
  return "advanced";
}

/**
 * The step loop. The run's state is loaded once and kept in memory while this worker holds the
 * lease; a step is a model call, the auto calls it asks for run in memory, and one write
 * (persistStep: the previous calls' results and answers, usage, the turn, the new calls, the
 * trace, the lease). Anything that ends the run otherwise writes the unsaved results first.
 */
async function drive(
  claimed: { id: string; status: "routing" | "running"; request: string; mode: RunMode },
  live: RuntimeDeps,
): Promise<unknown> {
  const runId = claimed.id;
  // ── scratch runs (lib/replay): replay, re-run and shadow runs get their own model and session ──
  const hooks = await runtimeHooks();
  const scratch = claimed.mode === "live" ? null : await hooks.scratchSession(claimed, live.model);
  const deps = scratch ? { ...live, model: scratch.model, scratch } : live;
  // A run routed just now comes with its state (the move to running read it); any other is read here.
  const routed = claimed.status === "routing" ? await routeRun(claimed, deps) : null;
  const state = routed ?? (await loadRunState(runId, deps.workerId));
  if (!state || state.run.status !== "running") return;
  if (scratch) state.scratch = scratch;
  const { settings } = state;
  const tools = toolDefinitions(state);
  const system = `${state.agent.system}\n${HANDOFF_INSTRUCTION}\n${CUSTOMER_RULES}`;
  const fixedTokens = estimateTokens(system) + estimateTokens(tools);

  for (;;) {
    const last = state.transcript.at(-1);
    if (last?.role === "assistant" && last.content.some((b) => b.type === "tool_use")) {
      if (!(await settleTurn(state, last.content))) return parkRun(state.run, textOf(last.content));
    }

    // The features' checks before a model call (lib/runtime/hooks.ts): the kill switch
    // (lib/agent-pause) stops a paused agent's run. The pause is read with the run and with every
    // step's write, so checking it costs nothing until it is set.
    for (const check of hooks.beforeStep) {
      const verdict = await check({
        id: runId,
        agent: state.agent.name,
        agentPaused: state.agentPaused,
      });
      if (!verdict) continue;
      await flushUnsaved(state);
      return stopBeforeStep(runId, verdict);
    }
    const hit = checkLimits(state.usage, settings);
    if (hit) return stop(state, hit.limit, hit.message, `${hit.limit}: ${hit.message}`);
    const prompt = buildPrompt(state.transcript, settings.contextBudgetTokens, fixedTokens);
    if (!prompt.fits) {
      const message = `The smallest prompt (${prompt.estimatedTokens} tokens) exceeds the ${settings.contextBudgetTokens}-token context budget`;
      return stop(state, "context_budget", message, `context_budget: ${message}`);
    }
    const { response, usage, event } = await invokeModel(
      deps.model,
      runId,
      "executor",
      {
        model: MODEL_TIERS[settings.tier],
        system,
        messages: prompt.messages,
        tools,
        toolChoice: { type: "auto" },
        maxTokens: 1024,
        timeoutMs: 60_000,
        agent: state.agent.name,
      },
      { estimatedPromptTokens: prompt.estimatedTokens, foldedSteps: prompt.foldedSteps },
      () => flushUnsaved(state),
    );
    const content: ContentBlock[] = response.content.length
      ? response.content
      : [{ type: "text", text: "" }];
    const turn = state.usage.iterations + 1;
    // A scratch run is not traffic: it is measured against no baseline and raises no anomaly.
    if (!scratch)
      for (const hook of hooks.afterModelCall) await hook(state, usage, () => flushUnsaved(state));

    const toolUses = content.filter((b): b is ToolUseBlock => b.type === "tool_use");
    if (toolUses.length === 0) {
      const text = textOf(content);
      if (!text) {
        await persistStep(state, { usage, events: [event] });
        return endRun(runId, "failed", "The model returned an empty answer");
      }
      const { completed } = await persistStep(state, {
        usage,
        events: [event],
        turns: [{ role: "assistant", content }],
        complete: { conversationId: state.run.conversationId, text },
      });
      return completed ? "released" : endRun(runId, "completed", undefined, text);
    }
    const reused = repeatedToolUseId(state, toolUses);
    if (reused) {
      await persistStep(state, { usage, events: [event] });
      return endRun(runId, "failed", `model_error: protocol: tool_use id ${reused} used twice`);
    }
    const loop = state.loops.detect(toolUses, settings.loopThreshold);
    if (loop) {
      await persistStep(state, { usage, events: [event] });
      const outcome = settings.onLoop === "escalate" ? "escalated" : "loop";
      return stop(
        state,
        `loop · ${loop.kind}`,
        loop.message,
        `${outcome}: ${loop.kind}: ${loop.message}`,
      );
    }
    // Calls policy lets run (or refuses) are recorded with the turn; calls that wait for a
    // human are proposed after it, with their approval (a crash in between: settleTurn proposes them).
    // The rules in force judge each call first (lib/policy: in code, with the agent's facts).
    const judged = await Promise.all(toolUses.map((block) => judgeProposal(state, block)));
    const plans = toolUses.map((block, i) => ({
      block,
      judged: judged[i] ?? null,
      plan: planProposal(state, turn, block, judged[i]),
    }));
    await persistStep(state, {
      usage,
      turns: [{ role: "assistant", content }],
      newCalls: plans.flatMap((p) => (p.plan ? [p.plan.call] : [])),
      events: [event, ...plans.flatMap((p) => p.plan?.events ?? [])],
    });
    crashPoint("after_turn_saved");
    for (const { block, plan, judged } of plans) {
      if (plan) continue;
      const call = await proposeToolCall(state, turn, block, judged);
      state.loops.record(call);
    }
  }
}

async function stop(state: RunState, name: string, message: string, reason: string) {
  const runId = state.run.id;
  await flushUnsaved(state);
  await db.$transaction((tx) => recordEvent(tx, { runId, kind: "limit", name, data: { message } }));
  await endRun(runId, "terminated", reason);
}

/** A model that reuses a tool_use id breaks the protocol; the run cannot tell its calls apart. */
function repeatedToolUseId(state: RunState, blocks: ToolUseBlock[]): string | null {
  const ids = blocks.map((b) => b.id);
  return (
    ids.find((id, i) => ids.indexOf(id) !== i) ?? ids.find((id) => state.loops.has(id)) ?? null
  );
}

/** The text blocks of a turn, as the customer reads them. */
function textOf(content: ContentBlock[]): string {
  return content
    .map((b) => (b.type === "text" ? b.text : ""))
    .join("\n")
    .trim();
}
