import { describe, expect, it } from "vitest";
import type { IntentSpec } from "@/lib/agent-kit";
import { classifyOffline, words } from "./offline-router";

// The demo's own intents, as their agents declare them, plus an agent added at the end of the registry.
const refunds: IntentSpec[] = [
  {
    id: "refund_request",
    description: "money back, broken or missing items",
    examples: [
      "Order 1042 arrived broken, I want my money back",
      "Please refund my order, an item is missing",
    ],
    offline: {
      pattern: /refund|money back|broken|damaged|return/i,
      confidence: 0.93,
      rationale: "money back",
    },
  },
  {
    id: "payment_query",
    description: "charges, payments",
    examples: ["What is the payment status of order 1042?", "Was my card charged for order 1043?"],
    offline: {
      pattern: /charge|charged|payment|paid|invoice/i,
      confidence: 0.85,
      rationale: "a payment",
    },
  },
];
const general: IntentSpec = {
  id: "general_enquiry",
  description: "anything else: opening hours, shop policies",
  examples: ["What are your opening hours?"],
};
const subscriptions: IntentSpec = {
  id: "subscription_billing",
  description: "a subscription plan: pausing, cancelling, credits for charges on it",
  examples: [
    "Please cancel my subscription",
    "I was charged for my subscription after I paused it",
    "Pause my plan for a month",
  ],
  offline: { pattern: /subscri|membership|plan\b/i, confidence: 0.9, rationale: "a subscription" },
};

const classify = (intents: IntentSpec[], text: string) =>
  classifyOffline(intents, "general_enquiry", text).intent;

describe("offline routing", () => {
  it("does not depend on the registry's order: an agent added last still gets its own words", () => {
    const text = "I was charged twice for my subscription";
    expect(classify([...refunds, general, subscriptions], text)).toBe("subscription_billing");
    expect(classify([subscriptions, ...refunds, general], text)).toBe("subscription_billing");
  });

  it("keeps the demo's routing: each request to the intent that owns its words", () => {
    const intents = [...refunds, general, subscriptions];
    expect(classify(intents, "Order 1042 arrived broken, I want my money back")).toBe(
      "refund_request",
    );
    expect(classify(intents, "What is the payment status of order 1042?")).toBe("payment_query");
    expect(classify(intents, "What are your opening hours?")).toBe("general_enquiry");
    expect(classify(intents, "Can you pause my membership?")).toBe("subscription_billing");
  });

  it("falls back when nothing fits, and states the matched intent's confidence", () => {
    expect(classifyOffline([...refunds], "general_enquiry", "Hmm")).toEqual({
      intent: "general_enquiry",
      confidence: 0.6,
      rationale: "No specific intent recognised.",
    });
    expect(classifyOffline([...refunds], "general_enquiry", "refund please").confidence).toBe(0.93);
  });

  it("compares words stemmed, without the filler", () => {
    expect(words("I was charged; the charges!")).toEqual(["charg", "charg"]);
  });
});
