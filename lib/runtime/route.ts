import "server-only";
import { z } from "zod";
import { registry } from "@/lib/agents";
import { effectiveSettings, settingsAndSpend } from "@/lib/agent-settings/settings";
import { db, type Tx } from "@/lib/db";
import { addRoutedSpend } from "@/lib/spend/usage";
import { startOfUtcDay } from "@/lib/spend/day";
import { openFollowUp } from "@/lib/follow-ups/open";
import type { Prisma, Run } from "@/lib/generated/prisma/client";
import { MODEL_TIERS } from "@/lib/model/pricing";
import type { ChatMessage, ModelProvider } from "@/lib/model/types";
import { recordEvent } from "@/lib/trace/events";
import { FLAGGED_EVENT, findInstructionLike } from "./injection";
import { renewLease } from "./lease";
import {
  flushRouterCalls,
  moveToRunning,
  routerCall,
  routerCalls,
  type RouterCalls,
} from "./route-writes";
import {
  classificationSchema,
  fallbackClassification,
  OUT_OF_SCOPE_INTENT,
  ROUTER_MAX_ATTEMPTS,
  ROUTER_TOOL,
  routerSystem,
  routerTool,
  type Classification,
} from "./router";
import { outOfScope } from "@/lib/agent-kit";
import { outOfScopeMessage } from "@/lib/customer-text/messages";
import { postAssistantMessage } from "./messages";
import type { RunState } from "./run-state";
import { transitionRun } from "./transitions";
import { runtimeHooks, type ScratchSession } from "./hooks";
import { endAtRouting } from "./stops";

// Built once: the registry is fixed for the life of the process.
const classification = classificationSchema(registry);
const system = routerSystem(registry);
const tool = routerTool(registry);
const OUT_OF_SCOPE_ANSWER = outOfScopeMessage(registry.agents.map((a) => a.title.toLowerCase()));

/**
 * routing → running (the claim moved the run out of queued): classify the request, pick the
 * executor and the settings version it runs under. Each move is one fenced statement with its trace events (lib/runtime/route-writes.ts);
 * the router's calls are kept in memory and written by the move to running (or, on any other way
 * out of routing, before it). Returns the run's state when the move to running read it (the
 * usual way), so the step loop does not read the run again.
 */
export async function routeRun(
  run: Pick<Run, "id" | "request" | "mode">,
  deps: { model: ModelProvider; workerId: string; scratch?: ScratchSession },
): Promise<RunState | null> {
  const calls = routerCalls(run.id, deps.workerId);
  try {
    // A request no agent may act on is refused before any model reads it (lib/agent-kit/scope.ts).
    const screened = outOfScope(run.request);
    if (screened)
      return await refuseOutOfScope(
        run,
        deps,
        calls,
        screened.refusal,
        `screen: ${screened.reason}`,
      );
    const verdict = await classifyRequest(deps.model, calls, run.request);
    // …and what the screen does not know, the router model refuses by its prompt.
    if (verdict.intent === OUT_OF_SCOPE_INTENT)
      return await refuseOutOfScope(
        run,
        deps,
        calls,
        OUT_OF_SCOPE_ANSWER,
        `router: ${verdict.rationale}`,
      );
    return await routeClassified(run, deps, calls, verdict);
  } catch (error) {
    // Whatever went wrong, the router's calls happened (and cost what they cost): write them.
    await flushRouterCalls(calls).catch(() => {});
    throw error;
  }
}

async function routeClassified(
  run: Pick<Run, "id" | "mode" | "request">,
  deps: { model: ModelProvider; workerId: string; scratch?: ScratchSession },
  calls: RouterCalls,
  verdict: Classification & { fallback: boolean },
): Promise<RunState | null> {
  const agent = registry.agentForIntent(verdict.intent);
  // ── scratch runs (lib/replay): pinned to the recorded or candidate settings version ──
  const settingsFor = (client?: Tx) =>
    deps.scratch ? deps.scratch.settingsFor(agent, client) : effectiveSettings(agent, client);
  // Read once: the budget check and the move to running use the same version. A scratch run's
  // cost is counted apart: the live agent's daily budget does not stop it.
  const now = new Date();
  const read = deps.scratch ? null : await settingsAndSpend(agent, startOfUtcDay(now));
  const active = read?.active ?? (await settingsFor());
  // The features' checks (lib/runtime/hooks.ts): the agent's daily budget (lib/spend), then the
  // kill switch (lib/agent-pause), whose paused agent's new run ends here, honestly, with a follow-up.
  for (const check of (await runtimeHooks()).onRouted) {
    const stop = await check({ id: run.id, agent, now, read });
    if (stop && (await endAtRouting(run.id, agent, stop, () => flushRouterCalls(calls))))
      return null;
  }
  const pinned: ChatMessage[] = [{ role: "user", content: run.request }];
  const flagged = findInstructionLike(run.request);
  if (!verdict.fallback) {
    const { version, settings } = active;
    const { shadow, state } = await moveToRunning(calls, {
      routingEvent: {
        kind: "routing",
        name: `${verdict.intent} → ${agent} (settings v${version})`,
        data: { ...verdict, settingsVersion: version },
      },
      ...(flagged && {
        flaggedEvent: {
          kind: "policy",
          name: FLAGGED_EVENT,
          data: { source: "request", excerpt: flagged },
        },
      }),
      agent,
      agentVersion: version,
      intent: verdict.intent,
      intentConfidence: verdict.confidence,
      transcript: pinned,
      deadlineAt: new Date(Date.now() + settings.deadlineSeconds * 1000),
    });
    // The features once routed (lib/runtime/hooks.ts): shadow mode (lib/shadow) is given the agent's
    // shadow setting the move read, and a sampled live run starts its shadow.
    for (const hook of (await runtimeHooks()).afterRouted)
      await hook({ id: run.id, agent, mode: run.mode }, { shadow });
    return state;
  }
  // The safe fallback also goes to a person, whatever the general agent manages to answer: the
  // follow-up is queued in the transaction that routes the run (the long way, it is rare).
  await flushRouterCalls(calls);
  await renewLease(run.id, deps.workerId);
  await db.$transaction(async (tx) => {
    const { version, settings } = await settingsFor(tx);
    await recordEvent(tx, {
      runId: run.id,
      kind: "routing",
      name: `${verdict.intent} → ${agent} (settings v${version})`,
      data: { ...verdict, settingsVersion: version },
    });
    if (flagged)
      await recordEvent(tx, {
        runId: run.id,
        kind: "policy",
        name: FLAGGED_EVENT,
        data: { source: "request", excerpt: flagged },
      });
    await openFollowUp(
      tx,
      run.id,
      `the router could not classify the request; ${registry.agent(agent).title.toLowerCase()} answered it at confidence 0`,
    );
    const moved = await transitionRun(
      tx,
      run.id,
      "running",
      "router fell back to general enquiry",
      {
        agent,
        agentVersion: version,
        intent: verdict.intent,
        intentConfidence: verdict.confidence,
        transcript: pinned as unknown as Prisma.InputJsonValue,
        deadlineAt: new Date(Date.now() + settings.deadlineSeconds * 1000),
      },
      ["routing"],
    );
    if (moved) await addRoutedSpend(tx, run.id);
  });
  return null;
}

/**
 * routing → completed with a refusal: the customer reads a clear sentence, no agent runs, no tool is
 * called, nothing is parked and no one is asked to follow up (there is nothing to do).
 */
async function refuseOutOfScope(
  run: Pick<Run, "id">,
  deps: { workerId: string },
  calls: RouterCalls,
  refusal: string,
  why: string,
): Promise<null> {
  await flushRouterCalls(calls);
  await renewLease(run.id, deps.workerId);
  await db.$transaction(async (tx) => {
    const row = await tx.run.findUniqueOrThrow({
      where: { id: run.id },
      select: { id: true, conversationId: true },
    });
    await recordEvent(tx, {
      runId: run.id,
      kind: "routing",
      name: `${OUT_OF_SCOPE_INTENT}: refused (${why})`,
      data: { intent: OUT_OF_SCOPE_INTENT, why },
    });
    if (
      !(await transitionRun(
        tx,
        run.id,
        "completed",
        `${OUT_OF_SCOPE_INTENT}: ${why}`,
        { intent: OUT_OF_SCOPE_INTENT },
        ["routing"],
      ))
    )
      return;
    await postAssistantMessage(tx, row, refusal);
  });
  return null;
}

/**
 * Forced tool use, validated against the zod schema; an invalid answer is re-asked with the
 * validation error a bounded number of times, then the safe fallback (which a human handles).
 */
export async function classifyRequest(
  model: ModelProvider,
  calls: RouterCalls,
  request: string,
): Promise<Classification & { fallback: boolean }> {
  const messages: ChatMessage[] = [{ role: "user", content: request }];
  for (let attempt = 1; attempt <= ROUTER_MAX_ATTEMPTS; attempt++) {
    const response = await routerCall(calls, model, {
      model: MODEL_TIERS.small,
      system,
      messages,
      tools: [tool],
      toolChoice: { type: "tool", name: ROUTER_TOOL },
      maxTokens: 400,
      timeoutMs: 20_000,
    });
    const block = response.content.find((b) => b.type === "tool_use" && b.name === ROUTER_TOOL);
    const parsed = classification.safeParse(block?.type === "tool_use" ? block.input : undefined);
    if (parsed.success) return { ...parsed.data, fallback: false };
    const problem = block ? z.prettifyError(parsed.error) : `You must call ${ROUTER_TOOL}.`;
    messages.push({
      role: "assistant",
      content: response.content.length ? response.content : [{ type: "text", text: "(no answer)" }],
    });
    messages.push({
      role: "user",
      content:
        block?.type === "tool_use"
          ? [
              {
                type: "tool_result",
                tool_use_id: block.id,
                is_error: true,
                content: `Invalid classification: ${problem}. Call ${ROUTER_TOOL} again.`,
              },
            ]
          : problem,
    });
  }
  return { ...fallbackClassification(registry), fallback: true };
}
