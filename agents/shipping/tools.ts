import { z } from "zod";
import { toolsFor } from "@/lib/agent-kit";
import type { Carrier } from "./client";

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
  description: "Find the shipment of one of the customer's orders at the carrier: tracking number, status and planned delivery day.",
  input: z.object({ order_id: orderId }),
  irreversible: false,
  readOnly: true,
  timeoutMs: 3_000,
  summarize: (i) => `order ${i.order_id}`,
  // A parcel's status moves over hours; within a run the second look is served from the cache.
  cache: { ttlSeconds: 120, records: (i) => [`order:${i.order_id}`] },
  execute: (i, { deps, signal }) => deps.trackByOrder(i.order_id, signal),
});

export const rescheduleDelivery = tool({
  name: "reschedule_delivery",
  description: "Ask the carrier to deliver on another day. Irreversible: the carrier re-plans the route; a team member confirms it first.",
  input: z.object({ order_id: orderId, tracking_number: trackingNumber, date: isoDate }),
  irreversible: true,
  timeoutMs: 4_000,
  summarize: (i) => `order ${i.order_id} (${i.tracking_number}) to ${i.date}`,
  writes: (i) => [`order:${i.order_id}`],
  execute: (i, { deps, signal, idempotencyKey }) => deps.reschedule(i.tracking_number, i.date, idempotencyKey, signal),
});

export const openTicket = tool({
  name: "open_ticket",
  description: "Open a ticket with the carrier's support team about a shipment problem the tools cannot solve.",
  input: z.object({
    tracking_number: trackingNumber.nullable().describe("The shipment concerned, if known"),
    subject: z.string().trim().min(3).max(150),
    description: z.string().trim().min(10).max(2000),
  }),
  irreversible: false,
  sensitive: ["description"],
  timeoutMs: 4_000,
  summarize: (i) => `${i.tracking_number ?? "no shipment"}: ${i.subject.slice(0, 60)}`,
  execute: (i, { deps, signal, idempotencyKey }) =>
    deps.openTicket({ trackingNumber: i.tracking_number, subject: i.subject, description: i.description }, idempotencyKey, signal),
});
