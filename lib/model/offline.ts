// The offline demo model: a real provider behind the model interface that needs no API key.
// It is deterministic and plays the demo domain's agents by reading the conversation the way
// a model would (the request, the tools on offer, the tool results so far).
import type { ChatMessage, ContentBlock, ModelProvider, ModelRequest, ModelResponse, ToolResultBlock } from "./types";

export const OFFLINE_MODEL_NAME = "offline-demo";

type Seen = { name: string; input: Record<string, unknown>; result?: { ok: boolean; value: Record<string, unknown> } };

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
        inputTokens: estimateTokens(request.system) + estimateTokens(request.messages) + estimateTokens(request.tools ?? []),
        outputTokens: estimateTokens(content),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
      retries: [],
    };
  }

  private respond(request: ModelRequest): ContentBlock[] {
    const tools = new Set((request.tools ?? []).map((t) => t.name));
    const ask = firstUserText(request.messages);
    const seen = toolHistory(request.messages);
    const turn = request.messages.filter((m) => m.role === "assistant").length;
    const call = (name: string, input: Record<string, unknown>, confidence: number, rationale: string): ContentBlock[] => [
      { type: "tool_use", id: `toolu_offline_${turn}_${name}`, name, input: { ...input, confidence, rationale } },
    ];
    const say = (text: string): ContentBlock[] => [{ type: "text", text }];

    if (request.toolChoice?.type === "tool" && request.toolChoice.name === "classify_intent") {
      return call("classify_intent", {}, 0, "").map((b) => ({ ...b, input: classify(lastUserText(request.messages)) }));
    }
    if (tools.has("issue_refund")) return refunds(ask, seen, call, say);
    if (tools.has("send_password_reset")) return accounts(ask, seen, call, say);
    return support(ask, seen, call, say);
  }
}

type Call = (name: string, input: Record<string, unknown>, confidence: number, rationale: string) => ContentBlock[];
type Say = (text: string) => ContentBlock[];

/** Hands the request to the team (once), then tells the user so. */
function handOff(seen: Seen[], call: Call, say: Say, reason: string, text: string): ContentBlock[] {
  if (seen.some((s) => s.name === "hand_off_to_team")) return say(text);
  return call("hand_off_to_team", { reason }, 0.95, "I cannot complete this myself; a person should take it.");
}

const WANTS_MONEY_BACK = /refund|money back|broken|damaged|defect|never (arrived|came)|return/i;

function refunds(ask: string, seen: Seen[], call: Call, say: Say): ContentBlock[] {
  const orderId = Number(/\b(\d{4,6})\b/.exec(ask)?.[1]);
  if (!orderId) return say("I can help with that. Which order is it? The order number is in your confirmation email.");
  const lookup = seen.find((s) => s.name === "lookup_order");
  if (!lookup?.result) return call("lookup_order", { order_id: orderId }, 0.98, "I need the order's status and refundable balance first.");
  if (!lookup.result.ok) return say(`I couldn't find order ${orderId} on your account. Could you check the number?`);
  const order = lookup.result.value;
  const money = (cents: unknown) => `€${(Number(cents) / 100).toFixed(2)}`;
  if (!WANTS_MONEY_BACK.test(ask)) {
    return say(`Order ${orderId} is ${order.status}; you paid ${money(order.totalCents)} and ${money(order.refundedCents)} has been refunded so far.`);
  }
  const refund = seen.find((s) => s.name === "issue_refund");
  if (!refund) {
    if (Number(order.refundableCents) <= 0) return say(`Order ${orderId} has already been refunded in full.`);
    const clear = /broken|damaged|defect|never (arrived|came)/i.test(ask);
    return call(
      "issue_refund",
      { order_id: orderId, amount_cents: order.refundableCents, reason: `Customer reports: ${ask.slice(0, 200)}` },
      clear ? 0.9 : 0.55,
      clear ? "The customer reports the item arrived unusable; a full refund of the balance matches policy." : "The request is a refund but the reason is not clearly covered by policy.",
    );
  }
  if (!refund.result) return say("Your refund is waiting for a team member to confirm it.");
  const r = refund.result.value;
  if (refund.result.ok) {
    return say(`Done: ${money(r.amountCents)} has been refunded for order ${orderId} (reference ${r.refundId}). It reaches your original payment method within 5 business days.`);
  }
  if (r.status === "rejected") {
    return say(`I'm sorry: a member of our team reviewed the refund for order ${orderId} and did not approve it. Their reason: “${r.reason}”. Nothing has been charged or refunded; reply here if you'd like to add details.`);
  }
  if (r.status === "expired") return say(`The refund for order ${orderId} was not confirmed in time, so nothing was refunded. A team member will follow up.`);
  if (r.outcome === "unknown") {
    return say(`I couldn't confirm whether the refund for order ${orderId} went through (${r.message ?? "the payment system did not answer"}). A team member is checking with the payment system and will follow up here.`);
  }
  return say(`I couldn't complete the refund for order ${orderId} (${r.message ?? "the payment system failed"}). Nothing was refunded; a team member will follow up.`);
}

function accounts(ask: string, seen: Seen[], call: Call, say: Say): ContentBlock[] {
  const account = seen.find((s) => s.name === "lookup_customer");
  if (!account?.result) return call("lookup_customer", {}, 0.95, "I need the account before changing anything.");
  if (!account.result.ok) return handOff(seen, call, say, "No shop account matches this user.", "I couldn't find a shop account for you; a team member will follow up here.");
  if (!/password|log ?in|sign ?in|locked/i.test(ask)) {
    return say(`Your account (${account.result.value.email}) is ${account.result.value.status}. What would you like to change?`);
  }
  const reset = seen.find((s) => s.name === "send_password_reset");
  if (!reset) return call("send_password_reset", {}, 0.85, "The customer asks to regain access; a reset email is the standard step.");
  if (reset.result?.ok) return say("I've sent a password reset link to your email address.");
  if (reset.result?.value.outcome === "unknown") {
    return handOff(seen, call, say, "The password reset could not be confirmed.", "I couldn't confirm whether the password reset email went out; a team member is checking and will follow up with you here.");
  }
  return handOff(seen, call, say, `The password reset was not sent (${String(reset.result?.value.status ?? "failed")}).`, "The password reset was not sent; a team member will follow up with you here.");
}

function support(ask: string, seen: Seen[], call: Call, say: Say): ContentBlock[] {
  const search = seen.find((s) => s.name === "search_policies");
  if (!search?.result) return call("search_policies", { query: ask.slice(0, 200) }, 0.9, "Answer from the published policies.");
  const hits = search.result.ok && Array.isArray(search.result.value.items) ? (search.result.value.items as Array<{ title: string; text: string }>) : [];
  if (hits.length === 0) return handOff(seen, call, say, "No published policy answers the question.", "I don't have a policy that answers that; a team member will follow up with you here.");
  return say(hits.map((h) => `${h.title}: ${h.text}`).join("\n"));
}

function classify(text: string) {
  const t = text.toLowerCase();
  if (/refund|money back|broken|damaged|return/.test(t)) return { intent: "refund_request", confidence: 0.93, rationale: "The customer asks for money back on an order." };
  if (/charge|charged|payment|paid|invoice/.test(t)) return { intent: "payment_query", confidence: 0.85, rationale: "The customer asks about a payment." };
  if (/password|log ?in|sign ?in|account|email address/.test(t)) return { intent: "account_support", confidence: 0.88, rationale: "The customer needs help with their account." };
  return { intent: "general_enquiry", confidence: 0.6, rationale: "No specific intent recognised." };
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

function toolHistory(messages: ChatMessage[]): Seen[] {
  const seen = new Map<string, Seen>();
  for (const m of messages) {
    if (typeof m.content === "string") continue;
    for (const b of m.content) {
      if (b.type === "tool_use") seen.set(b.id, { name: b.name, input: (b.input ?? {}) as Record<string, unknown> });
      if (b.type === "tool_result") {
        const s = seen.get(b.tool_use_id);
        if (s) s.result = parseResult(b);
      }
    }
  }
  return [...seen.values()];
}

function parseResult(b: ToolResultBlock): Seen["result"] {
  // Tool results reach the model wrapped as untrusted data; the JSON payload sits inside.
  const json = /\{[\s\S]*\}|\[[\s\S]*\]/.exec(b.content)?.[0];
  let value: unknown = {};
  try {
    value = json ? JSON.parse(json) : {};
  } catch {
    value = {};
  }
  return { ok: !b.is_error, value: Array.isArray(value) ? { items: value } : (value as Record<string, unknown>) };
}

function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / 4);
}
