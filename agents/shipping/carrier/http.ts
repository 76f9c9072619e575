import "server-only";
import { z } from "zod";
import { demoServiceHandler } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { demoCarrierKey } from "../config";
import { deliveryWindow, openTicket, reschedule, shipmentOfOrder } from "./service";

// The demo carrier's HTTP API, as a real carrier would expose it (served at /api/demo/carrier/…):
//   GET  v1/orders/{orderId}/shipment          → the shipment of that order
//   GET  v1/delivery-window                    → { first, last }: the days a delivery may be moved to
//   POST v1/shipments/{tracking}/reschedule    { date }                              Idempotency-Key required
//   POST v1/tickets                            { trackingNumber, subject, description } Idempotency-Key required
// Bearer key and X-Customer-Email on every request (lib/agent-kit/demo-service.ts).

const orderId = z.coerce.number().int().positive().max(2_147_483_647);
const tracking = z.string().regex(/^[A-Z0-9-]{4,32}$/);
const rescheduleBody = z.object({ date: z.iso.date() }).strict();
const ticketBody = z
  .object({
    trackingNumber: tracking.nullable(),
    subject: z.string().trim().min(3).max(150),
    description: z.string().trim().min(10).max(2000),
  })
  .strict();

export const handleCarrierRequest = demoServiceHandler({
  expectedKey: demoCarrierKey,
  onError: (error) => log.scoped("demo-carrier").error("demo carrier failed", { error }),
  routes: [
    {
      method: "GET",
      path: /^v1\/delivery-window$/,
      handle: async () => ({ response: deliveryWindow() }),
    },
    {
      method: "GET",
      path: /^v1\/orders\/([^/]+)\/shipment$/,
      handle: async (r) => ({
        response: await shipmentOfOrder(
          db,
          r.customer,
          r.param(orderId, r.match[1], "order number"),
        ),
      }),
    },
    {
      method: "POST",
      path: /^v1\/shipments\/([^/]+)\/reschedule$/,
      async handle(r) {
        const key = r.idempotencyKey();
        const { date } = await r.body(rescheduleBody);
        return reschedule(
          db,
          r.customer,
          r.param(tracking, r.match[1], "tracking number"),
          date,
          key,
        );
      },
    },
    {
      method: "POST",
      path: /^v1\/tickets$/,
      async handle(r) {
        const key = r.idempotencyKey();
        return {
          ...(await openTicket(db, r.customer, await r.body(ticketBody), key)),
          status: 201,
        };
      },
    },
  ],
});
