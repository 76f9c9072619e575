import "server-only";
import { randomUUID } from "node:crypto";
import { ToolError } from "@/lib/agent-kit";
import type { Db, Tx } from "@/lib/db";
import { atMostOnce } from "@/lib/idempotency/at-most-once";

// The demo carrier: the shipping agent's external system, served over HTTP by carrier/http.ts and
// called in-process by the agent's sandbox. Its records live in its own tables (the agent's
// migrations/); every read and write is scoped to the recipient's email, and every write is at
// most once per Idempotency-Key.

export const CARRIER_IDEMPOTENCY_SCOPE = "demo-carrier";
const MAX_DAYS_AHEAD = 14;

export type Shipment = {
  trackingNumber: string;
  orderId: number;
  status: string;
  deliveryDate: string;
  city: string;
};
export type Reschedule = {
  rescheduleId: string;
  trackingNumber: string;
  previousDate: string;
  deliveryDate: string;
};
export type Ticket = { ticketId: string; trackingNumber: string | null; subject: string };

const SHIPMENT = `tracking_number as "trackingNumber", order_id as "orderId", status, delivery_date as "deliveryDate", city, customer_email as "customerEmail"`;
type ShipmentRow = Shipment & { customerEmail: string };
const view = ({ trackingNumber, orderId, status, deliveryDate, city }: ShipmentRow): Shipment => ({
  trackingNumber,
  orderId,
  status,
  deliveryDate,
  city,
});

export async function shipmentOfOrder(
  db: Db,
  customerEmail: string,
  orderId: number,
): Promise<Shipment> {
  const [shipment] = await db.$queryRawUnsafe<ShipmentRow[]>(
    `select ${SHIPMENT} from demo_carrier_shipments where customer_email = $1 and order_id = $2`,
    customerEmail,
    orderId,
  );
  // Another recipient's shipment reads exactly like a missing one: no existence oracle.
  if (!shipment) throw new ToolError("not_found", `No shipment for order ${orderId}`);
  return view(shipment);
}

async function shipmentOf(
  tx: Tx,
  trackingNumber: string,
  customerEmail: string,
  lock = false,
): Promise<ShipmentRow | undefined> {
  const [row] = await tx.$queryRawUnsafe<ShipmentRow[]>(
    `select ${SHIPMENT} from demo_carrier_shipments where tracking_number = $1 and customer_email = $2${lock ? " for update" : ""}`,
    trackingNumber,
    customerEmail,
  );
  return row;
}

const today = () => new Date().toISOString().slice(0, 10);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The days the carrier accepts for a new delivery: from tomorrow to two weeks ahead. */
export const deliveryWindow = () => ({
  first: addDays(today(), 1),
  last: addDays(today(), MAX_DAYS_AHEAD),
});

export async function reschedule(
  db: Db,
  customerEmail: string,
  trackingNumber: string,
  date: string,
  idempotencyKey: string,
) {
  return atMostOnce<Reschedule>(
    db,
    {
      scope: CARRIER_IDEMPOTENCY_SCOPE,
      key: idempotencyKey,
      operation: "reschedule",
      request: { customerEmail, trackingNumber, date },
    },
    async (tx) => {
      // Locked, so two changes with different keys apply one after the other.
      const shipment = await shipmentOf(tx, trackingNumber, customerEmail, true);
      if (!shipment) throw new ToolError("not_found", `No shipment ${trackingNumber}`);
      if (shipment.status === "delivered")
        throw new ToolError(
          "conflict",
          `Shipment ${trackingNumber} was already delivered on ${shipment.deliveryDate}`,
        );
      const { first, last } = deliveryWindow();
      if (date < first || date > last)
        throw new ToolError(
          "invalid_arguments",
          `The delivery day must be between ${first} and ${last}`,
        );
      const id = `rs_${randomUUID().slice(0, 12)}`;
      await tx.$executeRawUnsafe(
        `insert into demo_carrier_reschedules (id, tracking_number, previous_date, delivery_date, idempotency_key) values ($1, $2, $3, $4, $5)`,
        id,
        trackingNumber,
        shipment.deliveryDate,
        date,
        idempotencyKey,
      );
      await tx.$executeRawUnsafe(
        `update demo_carrier_shipments set delivery_date = $1, updated_at = now() where tracking_number = $2`,
        date,
        trackingNumber,
      );
      return {
        rescheduleId: id,
        trackingNumber,
        previousDate: shipment.deliveryDate,
        deliveryDate: date,
      };
    },
  );
}

export async function openTicket(
  db: Db,
  customerEmail: string,
  input: { trackingNumber: string | null; subject: string; description: string },
  idempotencyKey: string,
) {
  return atMostOnce<Ticket>(
    db,
    {
      scope: CARRIER_IDEMPOTENCY_SCOPE,
      key: idempotencyKey,
      operation: "open_ticket",
      request: { customerEmail, ...input },
    },
    async (tx) => {
      if (input.trackingNumber && !(await shipmentOf(tx, input.trackingNumber, customerEmail))) {
        throw new ToolError("not_found", `No shipment ${input.trackingNumber}`);
      }
      const id = `tk_${randomUUID().slice(0, 12)}`;
      await tx.$executeRawUnsafe(
        `insert into demo_carrier_tickets (id, customer_email, tracking_number, subject, description, idempotency_key) values ($1, $2, $3, $4, $5, $6)`,
        id,
        customerEmail,
        input.trackingNumber,
        input.subject,
        input.description,
        idempotencyKey,
      );
      return { ticketId: id, trackingNumber: input.trackingNumber, subject: input.subject };
    },
  );
}
