import "server-only";
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { isToolError, type ToolErrorKind } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { demoCarrierKey } from "../config";
import { openTicket, reschedule, shipmentOfOrder } from "./service";

// The demo carrier's HTTP API, as a real carrier would expose it:
//   GET  v1/orders/{orderId}/shipment          → the shipment of that order
//   POST v1/shipments/{tracking}/reschedule    { date }                              Idempotency-Key required
//   POST v1/tickets                            { trackingNumber, subject, description } Idempotency-Key required
// Bearer key and X-Customer-Email on every request. A replayed key answers the first result with
// Idempotent-Replayed: true. Every bad input is a 4xx with { error }, never a 500.

const STATUS: Record<ToolErrorKind, number> = {
  invalid_arguments: 422,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  rate_limited: 429,
  timeout: 504,
  upstream_error: 502,
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => Response.json(body, { status, headers });
const fail = (status: number, error: string) => json(status, { error });

const customer = z.email();
const idempotencyKey = z.string().trim().min(8).max(200);
const orderId = z.coerce.number().int().positive().max(2_147_483_647);
const tracking = z.string().regex(/^[A-Z0-9-]{4,32}$/);
const rescheduleBody = z.object({ date: z.iso.date() }).strict();
const ticketBody = z
  .object({ trackingNumber: tracking.nullable(), subject: z.string().trim().min(3).max(150), description: z.string().trim().min(10).max(2000) })
  .strict();

function authorised(request: Request): boolean {
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${demoCarrierKey()}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function body(request: Request): Promise<unknown> {
  if (!(request.headers.get("content-type") ?? "").startsWith("application/json"))
    throw new BadRequest(415, "Send a JSON body (content-type: application/json)");
  try {
    return await request.json();
  } catch {
    throw new BadRequest(400, "The body is not valid JSON");
  }
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequest(what === "body" ? 422 : 400, `Invalid ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export async function handleCarrierRequest(request: Request, path: string[]): Promise<Response> {
  try {
    if (!authorised(request)) return fail(401, "Missing or wrong carrier key");
    const email = parse(customer, request.headers.get("x-customer-email"), "X-Customer-Email header");
    const route = path.join("/");
    const write = () => parse(idempotencyKey, request.headers.get("idempotency-key"), "Idempotency-Key header");
    const answer = (result: { response: unknown; replayed: boolean }, created = 200) =>
      json(result.replayed ? 200 : created, result.response, result.replayed ? { "idempotent-replayed": "true" } : {});

    let match: RegExpMatchArray | null;
    if ((match = route.match(/^v1\/orders\/([^/]+)\/shipment$/))) {
      if (request.method !== "GET") return fail(405, "Use GET");
      return json(200, await shipmentOfOrder(db, email, parse(orderId, match[1], "order number")));
    }
    if ((match = route.match(/^v1\/shipments\/([^/]+)\/reschedule$/))) {
      if (request.method !== "POST") return fail(405, "Use POST");
      const key = write();
      const { date } = parse(rescheduleBody, await body(request), "body");
      return answer(await reschedule(db, email, parse(tracking, decodeURIComponent(match[1]!), "tracking number"), date, key));
    }
    if (route === "v1/tickets") {
      if (request.method !== "POST") return fail(405, "Use POST");
      const key = write();
      return answer(await openTicket(db, email, parse(ticketBody, await body(request), "body"), key), 201);
    }
    return fail(404, `No such carrier endpoint: ${request.method} /${route}`);
  } catch (error) {
    if (error instanceof BadRequest) return fail(error.status, error.message);
    if (isToolError(error)) return fail(STATUS[error.kind], error.message);
    log.scoped("demo-carrier").error("demo carrier failed", { error });
    return fail(500, "The carrier failed");
  }
}
