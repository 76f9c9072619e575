import "server-only";
import { z } from "zod";
import { classification, FALLBACK, ROUTER_MAX_ATTEMPTS, ROUTER_TOOL, routerSystem, type Classification } from "@/agents/router";
import { MODEL_TIERS } from "@/lib/model/pricing";
import type { ChatMessage, ModelProvider } from "@/lib/model/types";
import { callModel } from "./model-call";

const routerTool = {
  name: ROUTER_TOOL,
  description: "Record the intent of the customer's message.",
  input_schema: z.toJSONSchema(classification) as Record<string, unknown>,
};

/**
 * Forced tool use, validated against the zod schema; an invalid answer is re-asked with the
 * validation error a bounded number of times, then the safe fallback (which a human handles).
 */
export async function classifyRequest(model: ModelProvider, runId: string, request: string): Promise<Classification & { fallback: boolean }> {
  const messages: ChatMessage[] = [{ role: "user", content: request }];
  for (let attempt = 1; attempt <= ROUTER_MAX_ATTEMPTS; attempt++) {
    const response = await callModel(model, runId, "router", {
      model: MODEL_TIERS.small,
      system: routerSystem,
      messages,
      tools: [routerTool],
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
  return { ...FALLBACK, fallback: true };
}
