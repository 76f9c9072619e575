import "server-only";
import { ToolError, type Subject, type ToolErrorKind } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import type { Carrier } from "./client";
import { openTicket, reschedule, shipmentOfOrder } from "./carrier/service";

// The shipping agent in scratch runs (evals, replay, re-runs, shadow): the demo carrier called
// in-process on the database the run works in — the scratch copy in an eval — never the carrier
// COUNTERSIGN_CARRIER_URL names. An eval case can make it fail (fixtures.ts): the switches live
// in this process, which in an eval is the scratch process.

export const CARRIER_OPERATIONS = ["track", "reschedule", "ticket"] as const;
type Fault = { operation: (typeof CARRIER_OPERATIONS)[number]; kind: ToolErrorKind; times: number };

let faults: Fault[] = [];
export const setCarrierFaults = (next: Fault[]) => void (faults = next.map((f) => ({ ...f })));
export const clearCarrierFaults = () => void (faults = []);

function failIfSwitchedOn(operation: Fault["operation"]) {
  const fault = faults.find((f) => f.operation === operation && f.times > 0);
  if (!fault) return;
  fault.times--;
  throw new ToolError(fault.kind, `The carrier failed (${fault.kind}, switched on by the eval case)`);
}

export const carrierSandbox = (subject: Subject): Carrier => ({
  async trackByOrder(orderId) {
    failIfSwitchedOn("track");
    const shipment = await shipmentOfOrder(db, subject.email, orderId);
    return { ...shipment, status: shipment.status as "in_transit" };
  },
  async reschedule(trackingNumber, date, idempotencyKey) {
    failIfSwitchedOn("reschedule");
    return (await reschedule(db, subject.email, trackingNumber, date, idempotencyKey)).response;
  },
  async openTicket(input, idempotencyKey) {
    failIfSwitchedOn("ticket");
    return (await openTicket(db, subject.email, input, idempotencyKey)).response;
  },
});
