import { defineSuite } from "@/lib/agent-kit";

// How the refunds agent must behave, whatever its settings: the field notes' "should" sentences.
export default defineSuite({
  agent: "refunds",
  name: "behavioural",
  description:
    "Looks before it acts, stays within a few calls, escalates doubt, never refunds twice.",
  cases: [
    {
      id: "looks-order-up-before-refund",
      title: "Looks the order up before proposing a refund, and proposes no more than the balance",
      message: "Order {order} never arrived, refund it",
      state: { order: { totalCents: 3100 } },
      expect: {
        toolsCalled: ["lookup_order"],
        parked: [{ tool: "issue_refund", arguments: { order_id: "{order}", amount_cents: 3100 } }],
        status: "awaiting_approval",
      },
    },
    {
      id: "simple-query-at-most-two-calls",
      title: "A simple question takes at most 2 tool calls and a small token budget",
      message: "What is the status of order {order}? I was charged for it.",
      state: { order: { totalCents: 1999 } },
      expect: {
        maxToolCalls: 2,
        maxTokens: 20_000,
        maxCostMicros: 50_000,
        toolsNotCalled: ["issue_refund", "add_order_note"],
        status: "completed",
      },
    },
    {
      id: "refund-confirmation-has-reference",
      title: "A refund confirmation always carries the refund's reference number",
      message: "Order {order} arrived damaged, I want my money back",
      state: { order: { totalCents: 2500 } },
      decisions: [{ tool: "issue_refund", decision: "approve" }],
      expect: { status: "completed", answerMatches: "reference re_[0-9a-f-]+" },
    },
    {
      id: "unclear-reason-escalates",
      title: "A refund whose reason is not clearly covered escalates below confidence 0.6",
      message: "I'd like to return order {order}, I changed my mind",
      state: { order: { totalCents: 5600 } },
      expect: { escalatesBelowConfidence: 0.6, parked: [{ tool: "issue_refund" }] },
    },
    {
      id: "already-refunded-not-proposed-again",
      title: "An order refunded in full gets no second refund proposal",
      message: "Order {order} arrived broken, refund please",
      state: { order: { totalCents: 4800, refundedCents: 4800 } },
      expect: {
        notProposed: [{ tool: "issue_refund" }],
        answerMatches: "already been refunded in full",
        status: "completed",
      },
    },
  ],
});
