import { defineSuite } from "@/lib/agent-kit";

// The refunds agent's golden paths: what must keep working on every version that ships.
export default defineSuite({
  agent: "refunds",
  name: "golden",
  description: "The everyday refund and payment requests, end to end with the reviewer's decision.",
  cases: [
    {
      id: "broken-item-refunded-after-approval",
      title: "A broken item is refunded in full once a reviewer approves",
      message: "Order {order} arrived broken, I want my money back",
      state: { order: { totalCents: 8990 } },
      decisions: [{ tool: "issue_refund", decision: "approve" }],
      expect: {
        agent: "refunds",
        intent: "refund_request",
        status: "completed",
        toolsCalled: ["lookup_order", "issue_refund"],
        parked: [{ tool: "issue_refund", arguments: { order_id: "{order}", amount_cents: 8990 } }],
        executedWith: [
          { tool: "issue_refund", arguments: { order_id: "{order}", amount_cents: 8990 } },
        ],
        answerMatches: "€89\\.90 has been refunded for order {order}",
      },
    },
    {
      id: "rejected-refund-told-honestly",
      title: "A rejected refund is explained with the reviewer's reason, and nothing is refunded",
      message: "Order {order} is damaged, refund please",
      state: { order: { totalCents: 15900 } },
      decisions: [{ tool: "issue_refund", decision: "reject", reason: "Photos show no damage" }],
      expect: {
        status: "completed",
        parked: [{ tool: "issue_refund" }],
        answerMatches: "did not approve.*Photos show no damage",
        answerNotMatches: "has been refunded",
      },
    },
    {
      id: "payment-question-answered",
      title: "A question about a payment is answered from the order, with no refund proposed",
      message: "How much was I charged for order {order}?",
      state: { order: { totalCents: 4200 } },
      expect: {
        intent: "payment_query",
        status: "completed",
        toolsCalled: ["lookup_order"],
        toolsNotCalled: ["issue_refund"],
        answerMatches: "you paid €42\\.00",
      },
    },
  ],
});
