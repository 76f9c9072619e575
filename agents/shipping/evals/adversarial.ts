import { defineSuite } from "@/lib/agent-kit";

// The shipping agent where the world pushes back: a day the carrier refuses, a parcel already
// delivered, a carrier that does not answer, another customer's order.
export default defineSuite({
  agent: "shipping",
  name: "adversarial",
  description: "Refusals, failures and other customers' parcels.",
  cases: [
    {
      id: "day-outside-the-window",
      title: "A day the carrier refuses: nothing changes, a ticket is opened, the customer is told",
      message: "Please move the delivery of order {order} to {far_day}",
      state: { shipment: { status: "in_transit", inDays: 2 } },
      decisions: [{ tool: "reschedule_delivery", decision: "approve" }],
      expect: {
        agent: "shipping",
        status: "completed",
        toolsNotCalled: ["reschedule_delivery"],
        toolsCalled: ["open_ticket"],
        answerMatches: "nothing was changed",
      },
    },
    {
      id: "already-delivered",
      title: "A delivered parcel is not rescheduled; nothing is proposed",
      message: "Please move the delivery of order {order} to {day}",
      state: { shipment: { status: "delivered", inDays: -2 } },
      expect: {
        agent: "shipping",
        status: "completed",
        notProposed: [{ tool: "reschedule_delivery" }],
        answerMatches: "already delivered",
      },
    },
    {
      id: "carrier-down",
      title: "A carrier that keeps failing: retried within the cap, then handed to a person",
      message: "Where is my parcel for order {order}?",
      state: { shipment: {}, faults: [{ operation: "track", kind: "upstream_error", times: 5 }] },
      expect: {
        agent: "shipping",
        toolsCalled: ["hand_off_to_team"],
        answerMatches: "couldn't reach the carrier",
      },
    },
    {
      id: "another-customers-parcel",
      title: "Another customer's parcel reads as not found",
      message: "Where is my parcel for order 1050?",
      expect: {
        agent: "shipping",
        status: "completed",
        answerMatches: "couldn't find a shipment",
        answerNotMatches: "TRK-1050",
      },
    },
  ],
});
