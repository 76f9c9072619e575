// The offline demo model: a real provider behind the model interface that needs no API key.
// It is deterministic. It routes by scoring the registry's intents (offline-router.ts), and plays each
// agent with the script the agent brings (agents/<name>/offline.ts), reading the conversation the
// way a model would (the request, the tools on offer, the tool results so far). An agent without a
// script gets an honest answer and a hand-off, never a call to a tool it does not have.
import {
  HANDOFF_TOOL,
  outOfScope,
  type Agent,
  type OfflineMove,
  type OfflineTurn,
  type SeenCall,
} from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import { classifyOffline } from "./offline-router";
import type {
  ChatMessage,
  ContentBlock,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ToolResultBlock,
} from "./types";

export const OFFLINE_MODEL_NAME = "offline-demo";
const ROUTER_TOOL = "classify_intent";
/** The router's answer for a request to refuse (lib/runtime/router.ts declares it). */
const OUT_OF_SCOPE_INTENT = "out_of_scope";

export class OfflineDemoModel implements ModelProvider {
  readonly name = OFFLINE_MODEL_NAME;

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const content = this.respond(request);
    const toolUse = content.some((b) => b.type === "tool_use");
    return {
      model: OFFLINE_MODEL_NAME,
      content,
      stopReason: toolUse ? "tool_use" : "end_turn",
      usage: {
        inputTokens:
          estimateTokens(request.system) +
          estimateTokens(request.messages) +
          estimateTokens(request.tools ?? []),
        outputTokens: estimateTokens(content),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
      retries: [],
    };
  }

  private respond(request: ModelRequest): ContentBlock[] {
    const turn = request.messages.filter((m) => m.role === "assistant").length;
    const toUse = (name: string, input: Record<string, unknown>): ContentBlock => ({
      type: "tool_use",
      id: `toolu_offline_${turn}_${name}`,
      name,
      input,
    });

    if (request.toolChoice?.type === "tool" && request.toolChoice.name === ROUTER_TOOL) {
      const text = lastUserText(request.messages);
      // The screen runs before classification, as a router model following its prompt would refuse.
      return [toUse(ROUTER_TOOL, refusedOrNull(text) ?? classify(text))];
    }
    const offered = new Set((request.tools ?? []).map((t) => t.name));
    const seen = toolHistory(request.messages);
    const call: OfflineTurn["call"] = (name, input, confidence, rationale, say) => ({
      type: "call",
      name,
      input,
      confidence,
      rationale,
      ...(say && { say }),
    });
    const say: OfflineTurn["say"] = (text) => ({ type: "say", text });
    /** Hands the request to the team (once), then tells the user so. */
    const handOff: OfflineTurn["handOff"] = (reason, text) =>
      seen.some((s) => s.name === HANDOFF_TOOL)
        ? say(text)
        : call(
            HANDOFF_TOOL,
            { reason },
            0.95,
            "I cannot complete this myself; a person should take it.",
          );

    const agent = agentOf(request, offered);
    const move: OfflineMove = agent?.offline
      ? agent.offline({ ask: firstUserText(request.messages), seen, call, say, handOff })
      : handOff(
          `The offline demo model has no script for the ${agent?.name ?? request.agent ?? "unknown"} agent.`,
          "The offline demo model has no script for this agent; a team member will follow up here.",
        );
    if (move.type === "say") return [{ type: "text", text: move.text }];
    // A script never gets to call a tool the run does not offer: that would be refused anyway.
    if (!offered.has(move.name))
      return [
        {
          type: "text",
          text: "The offline demo model tried to do something this assistant cannot do here; a team member will follow up here.",
        },
      ];
    const use = toUse(move.name, {
      ...move.input,
      confidence: move.confidence,
      rationale: move.rationale,
    });
    return move.say ? [{ type: "text", text: move.say }, use] : [use];
  }
}

/** The agent the request works for: named by the runtime, or else the one whose tools are on offer. */
function agentOf(request: ModelRequest, offered: Set<string>): Agent | undefined {
  if (request.agent) return registry.find(request.agent);
  const overlap = (a: Agent) => a.tools.filter((t) => offered.has(t.name)).length;
  return [...registry.agents].sort((a, b) => overlap(b) - overlap(a)).find((a) => overlap(a) > 0);
}

/** The router's answer for a request the out-of-scope screen refuses (lib/agent-kit/scope.ts), or null. */
function refusedOrNull(text: string) {
  const refused = outOfScope(text);
  return refused
    ? {
        intent: OUT_OF_SCOPE_INTENT,
        confidence: 0.99,
        rationale: `Out of scope: ${refused.reason}.`,
      }
    : null;
}

/** Every intent scored against the message (offline-router.ts); the registry's fallback when none fits. */
function classify(text: string) {
  return classifyOffline(registry.intents, registry.fallbackIntent, text);
}

function firstUserText(messages: ChatMessage[]): string {
  const first = messages.find((m) => m.role === "user");
  return first ? textOf(first) : "";
}

function lastUserText(messages: ChatMessage[]): string {
  const last = [...messages].reverse().find((m) => m.role === "user");
  return last ? textOf(last) : "";
}

function textOf(m: ChatMessage): string {
  if (typeof m.content === "string") return m.content;
  return m.content.map((b) => (b.type === "text" ? b.text : "")).join(" ");
}

function toolHistory(messages: ChatMessage[]): SeenCall[] {
  const seen = new Map<string, SeenCall>();
  for (const m of messages) {
    if (typeof m.content === "string") continue;
    for (const b of m.content) {
      if (b.type === "tool_use")
        seen.set(b.id, { name: b.name, input: (b.input ?? {}) as Record<string, unknown> });
      if (b.type === "tool_result") {
        const s = seen.get(b.tool_use_id);
        if (s) s.result = parseResult(b);
      }
    }
  }
  return [...seen.values()];
}

function parseResult(b: ToolResultBlock): SeenCall["result"] {
  // Tool results reach the model wrapped as untrusted data; the JSON payload sits inside.
  const json = /\{[\s\S]*\}|\[[\s\S]*\]/.exec(b.content)?.[0];
  let value: unknown = {};
  try {
    value = json ? JSON.parse(json) : {};
  } catch {
    value = {};
  }
  return {
    ok: !b.is_error,
    value: Array.isArray(value) ? { items: value } : (value as Record<string, unknown>),
  };
}

function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / 4);
}
