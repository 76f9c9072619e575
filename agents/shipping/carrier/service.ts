import "server-only";
import { randomUUID } from "node:crypto";
import { ToolError } from "@/lib/agent-kit";
import type { Db } from "@/lib/db";
import { atMostOnce } from "@/lib/idempotency/at-most-once";

// The demo carrier: the shipping agent's external system, served over HTTP by carrier/http.ts. Its
// records live in the app's database (demo_carrier_*); every read and write is scoped to the
// recipient's email, and every write is at most once per Idempotency-Key.

export const CARRIER_IDEMPOTENCY_SCOPE = "demo-carrier";
const MAX_DAYS_AHEAD = 14;

export type Shipment = { trackingNumber: string; orderId: number; status: string; deliveryDate: string; city: string };

const view = (s: Shipment): Shipment => ({
  trackingNumber: s.trackingNumber,
  orderId: s.orderId,
  status: s.status,
  deliveryDate: s.deliveryDate,
  city: s.city,
});

export async function shipmentOfOrder(db: Db, customerEmail: string, orderId: number): Promise<Shipment> {
  const shipment = await db.carrierShipment.findUnique({ where: { customerEmail_orderId: { customerEmail, orderId } } });
  // Another recipient's shipment reads exactly like a missing one: no existence oracle.
  if (!shipment) throw new ToolError("not_found", `No shipment for order ${orderId}`);
  return view(shipment);
}

const today = () => new Date().toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export async function reschedule(db: Db, customerEmail: string, trackingNumber: string, date: string, idempotencyKey: string) {
  return atMostOnce(
    db,
    { scope: CARRIER_IDEMPOTENCY_SCOPE, key: idempotencyKey, operation: "reschedule", request: { customerEmail, trackingNumber, date } },
    async (tx) => {
      // Locked, so two changes with different keys apply one after the other.
      await tx.$queryRaw`select tracking_number from demo_carrier_shipments where tracking_number = ${trackingNumber} for update`;
      const shipment = await tx.carrierShipment.findFirst({ where: { trackingNumber, customerEmail } });
      if (!shipment) throw new ToolError("not_found", `No shipment ${trackingNumber}`);
      if (shipment.status === "delivered") throw new ToolError("conflict", `Shipment ${trackingNumber} was already delivered on ${shipment.deliveryDate}`);
      const first = addDays(today(), 1);
      const last = addDays(today(), MAX_DAYS_AHEAD);
      if (date < first || date > last) throw new ToolError("invalid_arguments", `The delivery day must be between ${first} and ${last}`);
      const row = await tx.carrierReschedule.create({
        data: { id: `rs_${randomUUID().slice(0, 12)}`, trackingNumber, previousDate: shipment.deliveryDate, deliveryDate: date, idempotencyKey },
      });
      await tx.carrierShipment.update({ where: { trackingNumber }, data: { deliveryDate: date } });
      return { rescheduleId: row.id, trackingNumber, previousDate: row.previousDate, deliveryDate: row.deliveryDate };
    },
  );
}

export async function openTicket(
  db: Db,
  customerEmail: string,
  input: { trackingNumber: string | null; subject: string; description: string },
  idempotencyKey: string,
) {
  return atMostOnce(
    db,
    { scope: CARRIER_IDEMPOTENCY_SCOPE, key: idempotencyKey, operation: "open_ticket", request: { customerEmail, ...input } },
    async (tx) => {
      if (input.trackingNumber && !(await tx.carrierShipment.findFirst({ where: { trackingNumber: input.trackingNumber, customerEmail } }))) {
        throw new ToolError("not_found", `No shipment ${input.trackingNumber}`);
      }
      const ticket = await tx.carrierTicket.create({ data: { id: `tk_${randomUUID().slice(0, 12)}`, customerEmail, ...input, idempotencyKey } });
      return { ticketId: ticket.id, trackingNumber: ticket.trackingNumber, subject: ticket.subject };
    },
  );
}
