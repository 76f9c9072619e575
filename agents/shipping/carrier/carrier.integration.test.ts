// The demo carrier the app serves at /api/demo/carrier, through its route handler: scoped reads,
// writes that require an Idempotency-Key and answer a replayed key with the first result, and a
// clear 4xx for every bad input.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { demoCarrierKey } from "../config";
import { GET, POST } from "@/app/api/demo/[service]/[...path]/route";
import { db } from "@/lib/db";

const ADA = "user@example.com";
const GRACE = "user2@example.com";
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
let tracking: string;
let orderId: number;

beforeAll(async () => {
  orderId = 900_000 + Math.floor(Math.random() * 99_999);
  tracking = `TRK-T${orderId}`;
  await db.$executeRaw`insert into demo_carrier_shipments (tracking_number, customer_email, order_id, status, delivery_date, city)
    values (${tracking}, ${ADA}, ${orderId}, 'in_transit', ${day(2)}, 'Lyon')`;
});

type Options = {
  method?: "GET" | "POST";
  customer?: string;
  key?: string | null;
  body?: unknown;
  auth?: string | null;
  contentType?: string;
};
async function carrier(
  path: string,
  {
    method = "GET",
    customer = ADA,
    key = null,
    body,
    auth,
    contentType = "application/json",
  }: Options = {},
) {
  const headers: Record<string, string> = { "x-customer-email": customer };
  if (auth !== null) headers.authorization = auth ?? `Bearer ${demoCarrierKey()}`;
  if (key) headers["idempotency-key"] = key;
  if (body !== undefined) headers["content-type"] = contentType;
  const request = new Request(`http://localhost/api/demo/carrier/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const handler = method === "GET" ? GET : POST;
  const response = await handler(request, {
    params: Promise.resolve({ service: "carrier", path: path.split("/") }),
  });
  return {
    status: response.status,
    replayed: response.headers.get("idempotent-replayed"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

const reschedulesOf = async (trackingNumber: string) =>
  Number(
    (
      await db.$queryRaw<
        Array<{ n: bigint }>
      >`select count(*) as n from demo_carrier_reschedules where tracking_number = ${trackingNumber}`
    )[0]!.n,
  );

describe("demo carrier", () => {
  it("shows a customer their own shipment, and another's exactly like a missing one", async () => {
    expect(await carrier(`v1/orders/${orderId}/shipment`)).toMatchObject({
      status: 200,
      body: { trackingNumber: tracking, orderId, status: "in_transit", deliveryDate: day(2) },
    });
    const foreign = await carrier(`v1/orders/${orderId}/shipment`, { customer: GRACE });
    const missing = await carrier(`v1/orders/1/shipment`, { customer: GRACE });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toBe(`No shipment for order ${orderId}`);
    expect(missing.body.error).toBe("No shipment for order 1");
  });

  it("refuses callers without its key, and bad inputs with a clear 4xx", async () => {
    expect((await carrier(`v1/orders/${orderId}/shipment`, { auth: null })).status).toBe(401);
    expect((await carrier(`v1/orders/${orderId}/shipment`, { auth: "Bearer wrong" })).status).toBe(
      401,
    );
    expect(
      await carrier(`v1/orders/${orderId}/shipment`, { customer: "not-an-email" }),
    ).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/X-Customer-Email/) },
    });
    expect(await carrier("v1/orders/abc/shipment")).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/order number/) },
    });
    expect((await carrier("v1/nothing-here")).status).toBe(404);
    expect(
      (
        await carrier(`v1/orders/${orderId}/shipment`, {
          method: "POST",
          key: "k-12345678",
          body: {},
        })
      ).status,
    ).toBe(405);
    const path = `v1/shipments/${tracking}/reschedule`;
    expect(await carrier(path, { method: "POST", body: { date: day(3) } })).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/Idempotency-Key/) },
    });
    expect(
      (await carrier(path, { method: "POST", key: `k-${randomUUID()}`, body: "{nope" })).status,
    ).toBe(400);
    expect(
      (
        await carrier(path, {
          method: "POST",
          key: `k-${randomUUID()}`,
          body: "date=x",
          contentType: "application/x-www-form-urlencoded",
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await carrier(path, {
          method: "POST",
          key: `k-${randomUUID()}`,
          body: { date: "tomorrow" },
        })
      ).status,
    ).toBe(422);
    expect(
      await carrier(path, { method: "POST", key: `k-${randomUUID()}`, body: { date: day(30) } }),
    ).toMatchObject({
      status: 422,
      body: { error: expect.stringMatching(/must be between/) },
    });
    expect(await reschedulesOf(tracking)).toBe(0);
  });

  it("reschedules once per key: a replay gets the first result, the same key for another day is refused", async () => {
    const key = `cs_${randomUUID()}`;
    const path = `v1/shipments/${tracking}/reschedule`;
    const first = await carrier(path, { method: "POST", key, body: { date: day(4) } });
    expect(first).toMatchObject({
      status: 200,
      replayed: null,
      body: { trackingNumber: tracking, previousDate: day(2), deliveryDate: day(4) },
    });
    const again = await carrier(path, { method: "POST", key, body: { date: day(4) } });
    expect(again).toEqual({ ...first, replayed: "true" });
    expect((await carrier(path, { method: "POST", key, body: { date: day(5) } })).status).toBe(409);
    expect(await reschedulesOf(tracking)).toBe(1);
    expect((await carrier(`v1/orders/${orderId}/shipment`)).body.deliveryDate).toBe(day(4));
    // Another customer cannot move it, whatever key they bring.
    expect(
      (
        await carrier(path, {
          method: "POST",
          key: `cs_${randomUUID()}`,
          customer: GRACE,
          body: { date: day(5) },
        })
      ).status,
    ).toBe(404);
  });

  it("refuses to move a delivered parcel (409) and opens tickets once per key", async () => {
    const delivered = await carrier("v1/shipments/TRK-1050/reschedule", {
      method: "POST",
      key: `cs_${randomUUID()}`,
      customer: GRACE,
      body: { date: day(3) },
    });
    expect(delivered).toMatchObject({
      status: 409,
      body: { error: expect.stringMatching(/already delivered/) },
    });
    const key = `cs_${randomUUID()}`;
    const ticket = {
      trackingNumber: tracking,
      subject: "Parcel damaged",
      description: "The box arrived crushed on one side.",
    };
    const first = await carrier("v1/tickets", { method: "POST", key, body: ticket });
    expect(first).toMatchObject({
      status: 201,
      body: { trackingNumber: tracking, subject: "Parcel damaged" },
    });
    expect(await carrier("v1/tickets", { method: "POST", key, body: ticket })).toEqual({
      ...first,
      status: 200,
      replayed: "true",
    });
    const [row] = await db.$queryRaw<
      Array<{ n: bigint }>
    >`select count(*) as n from demo_carrier_tickets where idempotency_key = ${key}`;
    expect(Number(row?.n)).toBe(1);
  });
});
