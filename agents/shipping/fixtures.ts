import "server-only";
import { randomInt } from "node:crypto";
import { z } from "zod";
import { defineFixtures, TOOL_ERROR_KINDS } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { CARRIER_OPERATIONS, carrierFaults } from "./sandbox";

// The shipping agent's eval fixtures: a parcel of the demo customer at the demo carrier, fresh for
// each case ("{order}", "{tracking}"), delivery days relative to the day the eval runs ("{day}" is
// three days ahead, inside the carrier's window; "{far_day}" thirty, outside it), and the carrier's
// failures.

const day = (inDays: number) =>
  new Date(Date.now() + inDays * 86_400_000).toISOString().slice(0, 10);

const shippingState = z.object({
  shipment: z
    .object({
      status: z.enum(["in_transit", "out_for_delivery", "delivered"]).default("in_transit"),
      /** The planned delivery day, in days from today (negative: delivered that many days ago). */
      inDays: z.number().int().min(-60).max(60).default(2),
      city: z.string().default("Lyon"),
    })
    .optional(),
  faults: z
    .array(
      z.object({
        operation: z.enum(CARRIER_OPERATIONS),
        kind: z.enum(TOOL_ERROR_KINDS),
        /** How many calls fail; then the carrier answers again. */
        times: z.number().int().min(1).default(1),
      }),
    )
    .default([]),
});

const trackRead = z.object({
  trackingNumber: z.string(),
  orderId: z.number().int(),
  status: z.string(),
  deliveryDate: z.iso.date(),
  city: z.string(),
});

export const shippingFixtures = defineFixtures({
  state: shippingState,
  async setUp(state, { subject }) {
    carrierFaults.set(state.faults);
    const placeholders = { day: day(3), far_day: day(30) };
    if (!state.shipment) return placeholders;
    for (;;) {
      const order = randomInt(100_000, 1_000_000);
      const tracking = `TRK-${order}`;
      const inserted =
        await db.$executeRaw`insert into demo_carrier_shipments (tracking_number, customer_email, order_id, status, delivery_date, city)
        values (${tracking}, ${subject.email}, ${order}, ${state.shipment.status}, ${day(state.shipment.inDays)}, ${state.shipment.city})
        on conflict do nothing`;
      if (inserted) return { ...placeholders, order, tracking };
    }
  },
  async tearDown() {
    carrierFaults.clear();
  },
  // The parcel as the agent tracked it before proposing the call becomes the case's fresh parcel.
  fromDecision({ reads }) {
    const read = reads
      .filter((r) => r.tool === "track_shipment")
      .map((r) => trackRead.safeParse(r.result))
      .find((r) => r.success);
    if (!read?.success) return null;
    const { orderId, trackingNumber, status, deliveryDate, city } = read.data;
    const inDays = Math.round(
      (Date.parse(`${deliveryDate}T00:00:00Z`) - Date.parse(`${day(0)}T00:00:00Z`)) / 86_400_000,
    );
    return {
      state: { shipment: { status: status as "in_transit", inDays, city }, faults: [] },
      placeholders: { order: orderId, tracking: trackingNumber },
    };
  },
});
