import { defineSuite } from "@/lib/agent-kit";

// The subscriptions agent's golden paths. Each case gets its own subscriptions at the demo billing
// service ("{subscription}" is the first one's id).
export default defineSuite({
  agent: "subscriptions",
  name: "golden",
  description:
    "Reading, pausing, cancelling and crediting a subscription, end to end with the reviewer's decision.",
  cases: [
    {
      id: "when-does-it-renew",
      title: "A question about the plan is answered from the billing service, nothing changed",
      message: "When does my subscription renew?",
      state: { subscriptions: [{ plan: "Coffee club", monthlyCents: 1990 }] },
      expect: {
        agent: "subscriptions",
        status: "completed",
        toolsCalled: ["get_subscription"],
        maxToolCalls: 1,
        answerMatches: "renews on",
      },
    },
    {
      id: "pause-runs-at-once",
      title: "A pause runs at once, without a reviewer",
      message: "Please pause my subscription for two months",
      state: { subscriptions: [{}] },
      expect: {
        agent: "subscriptions",
        status: "completed",
        executedWith: [
          {
            tool: "pause_subscription",
            arguments: { subscription_id: "{subscription}", months: 2 },
          },
        ],
        answerMatches: "paused until",
      },
    },
    {
      id: "cancel-after-approval",
      title: "A cancellation waits for a reviewer, then happens once",
      message: "Please cancel my subscription",
      state: { subscriptions: [{}] },
      decisions: [{ tool: "cancel_subscription", decision: "approve" }],
      expect: {
        agent: "subscriptions",
        status: "completed",
        parked: [{ tool: "cancel_subscription", arguments: { subscription_id: "{subscription}" } }],
        toolsCalled: ["cancel_subscription"],
        answerMatches: "is cancelled",
      },
    },
    {
      id: "double-charge-credited",
      title: "A double charge is credited one month's price after a reviewer approves",
      message: "I was charged twice for my subscription this month",
      state: { subscriptions: [{ monthlyCents: 2490 }] },
      decisions: [{ tool: "issue_credit", decision: "approve" }],
      expect: {
        agent: "subscriptions",
        intent: "subscription_billing",
        status: "completed",
        executedWith: [
          {
            tool: "issue_credit",
            arguments: { subscription_id: "{subscription}", amount_cents: 2490 },
          },
        ],
        answerMatches: "credited",
      },
    },
  ],
});
