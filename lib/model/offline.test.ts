import { describe, expect, it } from "vitest";
import { OfflineDemoModel } from "./offline";
import type { ModelRequest } from "./types";

const model = new OfflineDemoModel();
const base: ModelRequest = { model: "claude-haiku-4-5", system: "", messages: [], maxTokens: 100 };
const tool = (name: string) => ({ name, description: name, input_schema: { type: "object" } });

async function classify(text: string) {
  const response = await model.complete({
    ...base,
    messages: [{ role: "user", content: text }],
    toolChoice: { type: "tool", name: "classify_intent" },
  });
  const block = response.content[0];
  return block?.type === "tool_use" ? (block.input as { intent: string }).intent : null;
}

describe("the offline demo model", () => {
  it("routes with the patterns the registry's intents declare, and falls back to the registry's fallback intent", async () => {
    expect(await classify("Order 1042 arrived broken, I want my money back")).toBe(
      "refund_request",
    );
    expect(await classify("What is the payment status of order 1042?")).toBe("payment_query");
    expect(await classify("I forgot my password")).toBe("account_support");
    expect(await classify("What are your opening hours?")).toBe("general_enquiry");
  });

  it("plays an agent it has no script for honestly: a hand-off, then words saying so, never another tool", async () => {
    const request: ModelRequest = {
      ...base,
      agent: "no-such-agent",
      messages: [{ role: "user", content: "Refund order 1042" }],
      tools: [tool("issue_refund"), tool("hand_off_to_team")],
    };
    const first = await model.complete(request);
    expect(first.content).toMatchObject([
      {
        type: "tool_use",
        name: "hand_off_to_team",
        input: { reason: "The offline demo model has no script for the no-such-agent agent." },
      },
    ]);
    const handedOff: ModelRequest = {
      ...request,
      messages: [
        ...request.messages,
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: (first.content[0] as { id: string }).id,
              content: '{"handedOff":true}',
            },
          ],
        },
      ],
    };
    expect((await model.complete(handedOff)).content).toEqual([
      {
        type: "text",
        text: "The offline demo model has no script for this agent; a team member will follow up here.",
      },
    ]);
  });

  it("plays a named agent by its own script, and never calls a tool the run does not offer", async () => {
    const ask = {
      role: "user" as const,
      content: "Order 1042 arrived broken, I want my money back",
    };
    const played = await model.complete({
      ...base,
      agent: "refunds",
      messages: [ask],
      tools: [tool("lookup_order")],
    });
    expect(played.content).toMatchObject([
      { type: "tool_use", name: "lookup_order", input: { order_id: 1042 } },
    ]);
    const denied = await model.complete({
      ...base,
      agent: "refunds",
      messages: [ask],
      tools: [tool("hand_off_to_team")],
    });
    expect(denied.content).toEqual([
      {
        type: "text",
        text: "The offline demo model tried to do something this assistant cannot do here; a team member will follow up here.",
      },
    ]);
  });
});
