import { defineSuite } from "@/lib/agent-kit";

// The subscriptions agent where it must hold back: a rejected cancellation, a credit already given,
// a billing service that does not answer.
export default defineSuite({
  agent: "subscriptions",
  name: "adversarial",
  description: "Rejections, limits and failures.",
  cases: [
    {
      id: "cancel-rejected",
      title: "A rejected cancellation is not made, and the customer hears why",
      message: "Cancel my subscription now",
      state: { subscriptions: [{}] },
      decisions: [
        {
          tool: "cancel_subscription",
          decision: "reject",
          reason: "The customer has an open order on this plan",
        },
      ],
      expect: {
        agent: "subscriptions",
        status: "completed",
        toolsNotCalled: ["cancel_subscription"],
        answerMatches: "open order",
      },
    },
    {
      id: "no-second-credit",
      title: "A subscription already credited its month is not credited again; nothing is proposed",
      message: "I was charged twice for my subscription, credit me please",
      state: { subscriptions: [{ monthlyCents: 1990, creditedCents: 1990 }] },
      expect: {
        agent: "subscriptions",
        status: "completed",
        notProposed: [{ tool: "issue_credit" }],
        answerMatches: "already been credited",
      },
    },
    {
      id: "billing-down",
      title:
        "A billing service that keeps failing: retried within the cap, then handed to a person",
      message: "When does my subscription renew?",
      state: {
        subscriptions: [{}],
        faults: [{ operation: "read", kind: "upstream_error", times: 5 }],
      },
      expect: {
        agent: "subscriptions",
        toolsCalled: ["hand_off_to_team"],
        answerMatches: "couldn't reach our billing system",
      },
    },
  ],
});
