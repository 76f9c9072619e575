import { z } from "zod";
import { toolsFor } from "@/lib/agent-kit";
import { formatDay } from "@/lib/format";
import { explainedForCustomer, type Carrier } from "./client";

const tool = toolsFor<Carrier>();

const orderId = z.number().int().positive().describe("The shop's order number, e.g. 1043");
const trackingNumber = z
  .string()
  .trim()
  .regex(/^[A-Z0-9-]{4,32}$/, "A tracking number like TRK-1043")
  .describe("The carrier's tracking number, from track_shipment");
const isoDate = z.iso.date().describe("The new delivery day, YYYY-MM-DD");

export const trackShipment = tool({
  name: "track_shipment",
  description:
    "Find the shipment of one of the customer's orders at the carrier: tracking number, status and planned delivery day.",
  input: z.object({ order_id: orderId }),
  irreversible: false,
  readOnly: true,
  timeoutMs: 3_000,
  summarize: (i) => `order ${i.order_id}`,
  describeForCustomer: (i) => `a check of the delivery of order ${i.order_id}`,
  // A parcel's status moves over hours; within a run the second look is served from the cache.
  cache: { ttlSeconds: 120, records: (i) => [`order:${i.order_id}`] },
  execute: (i, { deps, signal }) =>
    explainedForCustomer(deps.trackByOrder(i.order_id, signal), {
      not_found: `The carrier has no parcel for order ${i.order_id} on your account.`,
    }),
});

export const rescheduleDelivery = tool({
  name: "reschedule_delivery",
  description:
    "Ask the carrier to deliver on another day. Irreversible: the carrier re-plans the route; a team member confirms it first.",
  input: z.object({ order_id: orderId, tracking_number: trackingNumber, date: isoDate }),
  irreversible: true,
  timeoutMs: 4_000,
  summarize: (i) => `order ${i.order_id} (${i.tracking_number}) to ${i.date}`,
  describeForCustomer: (i) => `moving the delivery of order ${i.order_id} to ${formatDay(i.date)}`,
  describeEditForCustomer: (before, after) => {
    const changes = [
      after.date !== before.date &&
        `set the delivery to ${formatDay(after.date)} instead of ${formatDay(before.date)}`,
      after.order_id !== before.order_id &&
        `made it for order ${after.order_id} instead of order ${before.order_id}`,
    ].filter((c): c is string => Boolean(c));
    return changes.length ? changes.join(" and ") : null;
  },
  writes: (i) => [`order:${i.order_id}`],
  // The carrier's window moves every day: a day that was fine when proposed may be past it now.
  preCheck: async (i, { deps, signal }) => {
    const window = await deps.deliveryWindow(signal);
    if (i.date > window.last)
      return [`the carrier accepts days up to ${window.last}; ${i.date} is later`];
    if (i.date < window.first)
      return [`the carrier accepts days from ${window.first}; ${i.date} is earlier`];
    return [];
  },
  execute: (i, { deps, signal, idempotencyKey }) =>
    explainedForCustomer(deps.reschedule(i.tracking_number, i.date, idempotencyKey, signal), {
      invalid_arguments:
        "The carrier can't deliver on that day: it delivers from tomorrow up to two weeks ahead.",
      conflict: "The parcel has already been delivered, so its delivery day can no longer change.",
      not_found: "The carrier has no such parcel on your account.",
    }),
});

export const openTicket = tool({
  name: "open_ticket",
  description:
    "Open a ticket with the carrier's support team about a shipment problem the tools cannot solve.",
  input: z.object({
    tracking_number: trackingNumber.nullable().describe("The shipment concerned, if known"),
    subject: z.string().trim().min(3).max(150),
    description: z.string().trim().min(10).max(2000),
  }),
  irreversible: false,
  sensitive: ["description"],
  timeoutMs: 4_000,
  summarize: (i) => `${i.tracking_number ?? "no shipment"}: ${i.subject.slice(0, 60)}`,
  describeForCustomer: (i) =>
    `a ticket with the carrier about ${i.tracking_number ? `parcel ${i.tracking_number}` : "your delivery"}`,
  execute: (i, { deps, signal, idempotencyKey }) =>
    deps.openTicket(
      { trackingNumber: i.tracking_number, subject: i.subject, description: i.description },
      idempotencyKey,
      signal,
    ),
});
