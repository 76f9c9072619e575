import { describe, expect, it } from "vitest";
import { evalCaseSchema } from "@/lib/agent-kit/evals";
import type { Observation } from "./observation";
import { checkCase, substitute } from "./properties";

const observed = (over: Partial<Observation> = {}): Observation => ({
  placeholders: { order: 123456 },
  status: "completed",
  statusReason: null,
  agent: "refunds",
  intent: "refund_request",
  calls: [
    {
      tool: "lookup_order",
      arguments: { order_id: 123456 },
      status: "succeeded",
      irreversible: false,
      confidence: 0.98,
      approval: null,
    },
    {
      tool: "issue_refund",
      arguments: { order_id: 123456, amount_cents: 500 },
      status: "succeeded",
      irreversible: true,
      confidence: 0.55,
      approval: {
        status: "approved",
        reasonCodes: ["irreversible", "low_confidence"],
        approvedArguments: null,
      },
    },
  ],
  answer: "Done: €5.00 has been refunded for order 123456 (reference re_1).",
  tokens: 1000,
  costMicros: 0,
  durationMs: 5,
  outsideTools: [],
  undecidedEffects: [],
  ...over,
});

const aCase = (expect: object) =>
  evalCaseSchema.parse({ id: "a-case", title: "A case", message: "Order {order}", expect });

describe("checkCase", () => {
  it("passes when every property holds, with {order} replaced by the case's order", () => {
    const c = aCase({
      toolsCalled: ["lookup_order"],
      parked: [{ tool: "issue_refund", arguments: { order_id: "{order}" } }],
      executedWith: [{ tool: "issue_refund", arguments: { amount_cents: 500 } }],
      answerMatches: "order {order} \\(reference",
      maxToolCalls: 2,
      escalatesBelowConfidence: 0.6,
    });
    expect(checkCase(c, observed())).toEqual([]);
  });

  it("names each property that fails", () => {
    const c = aCase({
      maxToolCalls: 1,
      notProposed: [{ tool: "issue_refund" }],
      toolsNotCalled: ["issue_refund"],
      answerNotMatches: "refunded",
      maxTokens: 10,
      intent: "payment_query",
    });
    expect(checkCase(c, observed())).toEqual([
      "intent refund_request, expected payment_query",
      "issue_refund was called",
      "2 tool calls, at most 1 expected",
      "1000 tokens, at most 10 expected",
      'proposed issue_refund({"order_id":123456,"amount_cents":500}), which it should not',
      expect.stringMatching(/^answer matches \/refunded\//),
    ]);
  });

  it("always checks the gate: tools outside the executor, effects without a decision, escalation", () => {
    const c = aCase({ escalatesBelowConfidence: 0.6 });
    const calls = observed().calls.map((call) =>
      call.approval
        ? { ...call, approval: { ...call.approval, reasonCodes: ["irreversible"] } }
        : call,
    );
    expect(
      checkCase(
        c,
        observed({ calls, outsideTools: ["close_account"], undecidedEffects: ["key-1"] }),
      ),
    ).toEqual([
      "issue_refund at confidence 0.55 was not escalated for low confidence (below 0.6)",
      "asked for tools outside its executor: close_account",
      "irreversible effects without a reviewer's decision: key-1",
    ]);
  });

  it("substitutes nested values, any placeholder's name, and leaves unknown names alone", () => {
    expect(substitute({ a: ["{order}", "x {order}"] }, { order: 7 })).toEqual({ a: [7, "x 7"] });
    expect(substitute({ a: "{order}" }, {})).toEqual({ a: "{order}" });
    expect(substitute("pause {subscription} of {customer}", { subscription: "sub_1" })).toBe(
      "pause sub_1 of {customer}",
    );
  });

  it("reads an observation recorded before placeholders, which named its order", () => {
    const { placeholders: _, ...old } = observed();
    const c = aCase({ parked: [{ tool: "issue_refund", arguments: { order_id: "{order}" } }] });
    expect(checkCase(c, { ...old, order: 123456 } as Observation)).toEqual([]);
  });
});
