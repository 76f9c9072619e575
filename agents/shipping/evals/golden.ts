import { defineSuite } from "@/lib/agent-kit";

// The shipping agent's golden paths: tracking a parcel, and a new delivery day that a reviewer
// approves or rejects. Each case gets a fresh parcel at the demo carrier ("{order}", "{tracking}");
// "{day}" is three days ahead, inside the carrier's window.
export default defineSuite({
  agent: "shipping",
  name: "golden",
  description: "Tracking and rescheduling a delivery, end to end with the reviewer's decision.",
  cases: [
    {
      id: "track-a-parcel",
      title: "Where a parcel is: tracked, answered, nothing changed",
      message: "Where is my parcel for order {order}?",
      state: { shipment: { status: "in_transit", inDays: 2 } },
      expect: {
        agent: "shipping",
        intent: "delivery_query",
        status: "completed",
        toolsCalled: ["track_shipment"],
        toolsNotCalled: ["reschedule_delivery"],
        answerMatches: "{tracking}",
        maxToolCalls: 1,
      },
    },
    {
      id: "reschedule-approved",
      title: "A new delivery day waits for a reviewer, then the carrier makes it",
      message: "Please move the delivery of order {order} to {day}",
      state: { shipment: { status: "in_transit", inDays: 1 } },
      decisions: [{ tool: "reschedule_delivery", decision: "approve" }],
      expect: {
        agent: "shipping",
        status: "completed",
        parked: [
          { tool: "reschedule_delivery", arguments: { order_id: "{order}", date: "{day}" } },
        ],
        executedWith: [
          {
            tool: "reschedule_delivery",
            arguments: { tracking_number: "{tracking}", date: "{day}" },
          },
        ],
        answerMatches: "{day}",
      },
    },
    {
      id: "reschedule-rejected",
      title: "A rejected delivery change is not made, and the customer hears the reason",
      message: "Please move the delivery of order {order} to {day}",
      state: { shipment: { status: "in_transit", inDays: 1 } },
      decisions: [
        { tool: "reschedule_delivery", decision: "reject", reason: "The depot is closed that day" },
      ],
      expect: {
        agent: "shipping",
        status: "completed",
        toolsNotCalled: ["reschedule_delivery"],
        answerMatches: "depot is closed",
        answerNotMatches: "^Done",
      },
    },
  ],
});
