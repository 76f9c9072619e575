import "server-only";
import { z } from "zod";
import { registry } from "@/lib/agents";
import { effectiveSettings } from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import { endIfAgentOverBudget } from "@/lib/spend/agent-budget";
import { openFollowUp } from "@/lib/follow-ups/open";
import type { Prisma, Run } from "@/lib/generated/prisma/client";
import { MODEL_TIERS } from "@/lib/model/pricing";
import type { ChatMessage, ModelProvider } from "@/lib/model/types";
import type { ScratchSession } from "@/lib/replay/session";
import { maybeStartShadow } from "@/lib/shadow/start";
import { recordEvent } from "@/lib/trace/events";
import { FLAGGED_EVENT, findInstructionLike } from "./injection";
import { renewLease } from "./lease";
import { callModel } from "./model-call";
import { classificationSchema, fallbackClassification, ROUTER_MAX_ATTEMPTS, ROUTER_TOOL, routerSystem, routerTool, type Classification } from "./router";
import { transitionRun } from "./transitions";

// Built once: the registry is fixed for the life of the process.
const classification = classificationSchema(registry);
const system = routerSystem(registry);
const tool = routerTool(registry);

/** queued → routing → running: classify the request, pick the executor and the settings version it runs under. */
export async function routeRun(run: Run, deps: { model: ModelProvider; workerId: string; scratch?: ScratchSession }) {
  if (run.status === "queued") await db.$transaction((tx) => transitionRun(tx, run.id, "routing", undefined, {}, ["queued"]));
  const verdict = await classifyRequest(deps.model, run.id, run.request);
  await renewLease(run.id, deps.workerId);
  const agent = registry.agentForIntent(verdict.intent);
  // A scratch run's cost is counted apart: the live agent's daily budget does not stop it.
  if (!deps.scratch && (await endIfAgentOverBudget(run.id, agent))) return;
  await db.$transaction(async (tx) => {
    // ── scratch runs (lib/replay): pinned to the recorded or candidate settings version ──
    const { version, settings } = deps.scratch ? await deps.scratch.settingsFor(agent, tx) : await effectiveSettings(agent, tx);
    await recordEvent(tx, { runId: run.id, kind: "routing", name: `${verdict.intent} → ${agent} (settings v${version})`, data: { ...verdict, settingsVersion: version } });
    const pinned: ChatMessage[] = [{ role: "user", content: run.request }];
    const flagged = findInstructionLike(run.request);
    if (flagged) await recordEvent(tx, { runId: run.id, kind: "policy", name: FLAGGED_EVENT, data: { source: "request", excerpt: flagged } });
    // The safe fallback also goes to a person, whatever the general agent manages to answer.
    if (verdict.fallback) await openFollowUp(tx, run.id, `the router could not classify the request; ${registry.agent(agent).title.toLowerCase()} answered it at confidence 0`);
    await transitionRun(tx, run.id, "running", verdict.fallback ? "router fell back to general enquiry" : undefined, {
      agent,
      agentVersion: version,
      intent: verdict.intent,
      intentConfidence: verdict.confidence,
      transcript: pinned as unknown as Prisma.InputJsonValue,
      deadlineAt: new Date(Date.now() + settings.deadlineSeconds * 1000),
    }, ["routing"]);
    // ── shadow mode (lib/shadow): a sampled live run starts its shadow run in this transaction ──
    if (run.mode === "live") await maybeStartShadow(tx, run, agent);
  });
}

/**
 * Forced tool use, validated against the zod schema; an invalid answer is re-asked with the
 * validation error a bounded number of times, then the safe fallback (which a human handles).
 */
export async function classifyRequest(model: ModelProvider, runId: string, request: string): Promise<Classification & { fallback: boolean }> {
  const messages: ChatMessage[] = [{ role: "user", content: request }];
  for (let attempt = 1; attempt <= ROUTER_MAX_ATTEMPTS; attempt++) {
    const response = await callModel(model, runId, "router", {
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
    messages.push({ role: "assistant", content: response.content.length ? response.content : [{ type: "text", text: "(no answer)" }] });
    messages.push({
      role: "user",
      content: block?.type === "tool_use"
        ? [{ type: "tool_result", tool_use_id: block.id, is_error: true, content: `Invalid classification: ${problem}. Call ${ROUTER_TOOL} again.` }]
        : problem,
    });
  }
  return { ...fallbackClassification(registry), fallback: true };
}
