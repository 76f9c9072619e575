import "server-only";
import { faultSwitches, type Subject } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import type { Carrier } from "./client";
import { deliveryWindow, openTicket, reschedule, shipmentOfOrder } from "./carrier/service";

// The shipping agent in scratch runs (evals, replay, re-runs, shadow): the demo carrier called
// in-process on the database the run works in — the scratch copy in an eval — never the carrier
// COUNTERSIGN_CARRIER_URL names. An eval case can make it fail (fixtures.ts): the switches live
// in this process, which in an eval is the scratch process.

export const CARRIER_OPERATIONS = ["track", "reschedule", "ticket"] as const;
export const carrierFaults = faultSwitches<(typeof CARRIER_OPERATIONS)[number]>("the carrier");

export const carrierSandbox = (subject: Subject): Carrier => ({
  async trackByOrder(orderId) {
    carrierFaults.failIfOn("track");
    const shipment = await shipmentOfOrder(db, subject.email, orderId);
    return { ...shipment, status: shipment.status as "in_transit" };
  },
  async deliveryWindow() {
    return deliveryWindow();
  },
  async reschedule(trackingNumber, date, idempotencyKey) {
    carrierFaults.failIfOn("reschedule");
    return (await reschedule(db, subject.email, trackingNumber, date, idempotencyKey)).response;
  },
  async openTicket(input, idempotencyKey) {
    carrierFaults.failIfOn("ticket");
    return (await openTicket(db, subject.email, input, idempotencyKey)).response;
  },
});
