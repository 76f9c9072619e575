// The shipping agent's tools over real HTTP against a misbehaving loopback carrier: each failure is
// typed, retried within the tool's cap (rate limits after retry-after), a stalled request is aborted
// through the signal (the server sees the connection closed), and a write is never done twice: every
// attempt carries the same Idempotency-Key, and a replayed key is answered with the first result.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "@/test/support/actors";

type Fault = { status: number; retryAfter?: string } | "stall" | "write-then-500";
type Seen = {
  method: string;
  path: string;
  key: string | null;
  customer: string | null;
  closedEarly: boolean;
};

const deps = { model: new OfflineDemoModel(), workerId: "shipping-test" };
const CUSTOMER = "user@example.com";
const plan: Record<"track" | "reschedule" | "ticket", Fault[]> = {
  track: [],
  reschedule: [],
  ticket: [],
};
const seen: Seen[] = [];
/** What the fake carrier did per idempotency key: one entry per real write. */
const writes = new Map<string, unknown>();
let server: Server;

function carrier(req: IncomingMessage, res: ServerResponse) {
  const path = req.url ?? "";
  const entry: Seen = {
    method: req.method ?? "",
    path,
    key: (req.headers["idempotency-key"] as string | null) ?? null,
    customer: (req.headers["x-customer-email"] as string) ?? null,
    closedEarly: false,
  };
  seen.push(entry);
  res.on("close", () => (entry.closedEarly = !res.writableFinished));
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    res
      .writeHead(status, { "content-type": "application/json", ...headers })
      .end(JSON.stringify(body));
  if (!req.headers.authorization?.startsWith("Bearer ")) return send(401, { error: "no key" });
  // The reviewer's pre-check reads the days the carrier accepts (this test's calls are in January 2030).
  if (path.endsWith("/v1/delivery-window"))
    return send(200, { first: "2030-01-01", last: "2030-01-31" });
  const endpoint = path.endsWith("/shipment")
    ? "track"
    : path.endsWith("/reschedule")
      ? "reschedule"
      : "ticket";
  const fault = plan[endpoint].shift();
  if (fault === "stall") return;
  if (fault && fault !== "write-then-500")
    return send(
      fault.status,
      { error: `scripted ${fault.status}` },
      fault.retryAfter ? { "retry-after": fault.retryAfter } : {},
    );
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    if (endpoint === "track") {
      const order = Number(/orders\/(\d+)\//.exec(path)?.[1]);
      if (order !== 1043) return send(404, { error: `No shipment for order ${order}` });
      return send(200, {
        trackingNumber: "TRK-1043",
        orderId: 1043,
        status: "in_transit",
        deliveryDate: "2030-01-02",
        city: "Lyon",
      });
    }
    if (!entry.key) return send(400, { error: "Idempotency-Key required" });
    const prior = writes.get(entry.key);
    if (prior) return send(200, prior, { "idempotent-replayed": "true" });
    const input = JSON.parse(body) as { date?: string; trackingNumber?: string; subject?: string };
    if (endpoint === "ticket") {
      const ticket = {
        ticketId: `tk_${writes.size + 1}`,
        trackingNumber: input.trackingNumber ?? null,
        subject: input.subject ?? "",
      };
      writes.set(entry.key, ticket);
      return send(201, ticket);
    }
    const date = input.date;
    const result = {
      rescheduleId: `rs_${writes.size + 1}_${randomUUID().slice(0, 6)}`,
      trackingNumber: "TRK-1043",
      previousDate: "2030-01-02",
      deliveryDate: date,
    };
    writes.set(entry.key, result);
    // The write happened; the answer is lost on the way back.
    if (fault === "write-then-500") return send(500, { error: "scripted crash after the write" });
    send(200, result);
  });
}

beforeAll(async () => {
  server = createServer(carrier);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.COUNTERSIGN_CARRIER_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.COUNTERSIGN_CARRIER_URL;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await stopBoss();
});
beforeEach(() => {
  seen.length = 0;
  writes.clear();
  plan.track = [];
  plan.reschedule = [];
  plan.ticket = [];
});

async function ask(text: string) {
  const { runId } = await startTurn(await actorFor(CUSTOMER), { text });
  await advanceRun(runId, deps);
  return runId;
}
async function approveAndFinish(runId: string) {
  const approval = await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
  expect(approval.tool).toBe("reschedule_delivery");
  await decideApproval(await actorFor("reviewer@example.com"), {
    decision: "approve",
    approvalId: approval.id,
    expectedHash: approval.proposedHash,
  });
  await advanceRun(runId, deps);
  await advanceRun(runId, deps);
  return db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { toolCalls: { orderBy: { createdAt: "asc" } } },
  });
}
const lastText = async (runId: string) =>
  (
    await db.message.findFirstOrThrow({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "desc" },
    })
  ).text;
/** Everything the run told the customer: the product's word on decisions, then the agent's. */
const allTexts = async (runId: string) =>
  (
    await db.message.findMany({
      where: { runId, author: "assistant" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    })
  ).map((m) => m.text);
const call = (run: { toolCalls: Array<{ tool: string }> }, tool: string) =>
  run.toolCalls.find((c) => c.tool === tool) as (typeof run.toolCalls)[number] & {
    status: string;
    attempts: number;
    error: unknown;
    idempotencyKey: string;
    result: unknown;
  };
const requestsTo = (suffix: string) => seen.filter((s) => s.path.endsWith(suffix));

describe("shipping agent against a loopback carrier", () => {
  it("routes a delivery question to the shipping agent, and waits out a 429's retry-after before reading again", async () => {
    plan.track = [{ status: 429, retryAfter: "1" }];
    const runId = await ask("Where is my parcel for order 1043?");
    const run = await db.run.findUniqueOrThrow({
      where: { id: runId },
      include: { toolCalls: true },
    });
    expect([run.status, run.agent, run.intent]).toEqual([
      "completed",
      "shipping",
      "delivery_query",
    ]);
    expect(call(run, "track_shipment")).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(requestsTo("/v1/orders/1043/shipment")).toHaveLength(2);
    expect(requestsTo("/shipment").every((s) => s.customer === CUSTOMER)).toBe(true);
    const retry = await db.traceEvent.findFirstOrThrow({
      where: { runId, name: "track_shipment · rate_limited, retrying" },
    });
    expect((retry.data as { waitMs: number }).waitMs).toBeGreaterThanOrEqual(1000);
    expect(await lastText(runId)).toBe(
      "Your parcel for order 1043 (tracking TRK-1043) is on its way to Lyon; delivery is planned for Wednesday 2 January 2030.",
    );
  });

  it("hands a 404 back to the model once, without retrying it", async () => {
    const runId = await ask("Where is my parcel for order 7777?");
    const run = await db.run.findUniqueOrThrow({
      where: { id: runId },
      include: { toolCalls: true },
    });
    expect(call(run, "track_shipment")).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { kind: "not_found" },
    });
    expect(requestsTo("/shipment")).toHaveLength(1);
    expect(await lastText(runId)).toBe(
      "I couldn't find a parcel for order 7777 on your account. Could you check the number?",
    );
  });

  it("parks the reschedule, then after approval aborts a stalled attempt through its signal, retries a 500, and writes once", async () => {
    const runId = await ask("Please move the delivery of order 1043 to 2030-01-05");
    const parked = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(parked.status).toBe("awaiting_approval");
    expect(requestsTo("/reschedule")).toHaveLength(0);

    plan.reschedule = ["stall", { status: 500 }];
    const run = await approveAndFinish(runId);
    const reschedule = call(run, "reschedule_delivery");
    expect(reschedule).toMatchObject({ status: "succeeded", attempts: 3 });
    const attempts = requestsTo("/v1/shipments/TRK-1043/reschedule");
    expect(attempts).toHaveLength(3);
    // The stalled request was cancelled at the deadline, not left running beside its retries.
    expect(attempts[0]!.closedEarly).toBe(true);
    expect(attempts.every((a) => a.key === reschedule.idempotencyKey)).toBe(true);
    expect(writes.size).toBe(1);
    expect(await allTexts(runId)).toEqual([
      "Your parcel for order 1043 (tracking TRK-1043) is on its way to Lyon; delivery is planned for Wednesday 2 January 2030.",
      "Before I go ahead, a member of our team needs to confirm moving the delivery of order 1043 to Saturday 5 January 2030. I'll tell you here as soon as they decide.",
      "Our team approved moving the delivery of order 1043 to Saturday 5 January 2030, and it's done.",
      expect.stringMatching(
        /^The carrier now plans to deliver order 1043 on Saturday 5 January 2030 \(reference rs_1_/,
      ),
    ]);
  });

  it("answers a retry after a lost response with the first result (replayed key): one write", async () => {
    const runId = await ask("Please reschedule order 1043 to 2030-01-06");
    plan.reschedule = ["write-then-500"];
    const run = await approveAndFinish(runId);
    const reschedule = call(run, "reschedule_delivery");
    expect(reschedule).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(requestsTo("/reschedule").map((r) => r.key)).toEqual([
      reschedule.idempotencyKey,
      reschedule.idempotencyKey,
    ]);
    expect(writes.size).toBe(1);
    expect(reschedule.result).toEqual(writes.get(reschedule.idempotencyKey));
    expect(await lastText(runId)).toContain("on Sunday 6 January 2030 (reference rs_1_");
  });

  it("stops at the retry cap on 500s and tells the customer the outcome is unconfirmed, with a follow-up", async () => {
    const runId = await ask("Please move the delivery of order 1043 to 2030-01-07");
    plan.reschedule = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }];
    const run = await approveAndFinish(runId);
    expect(call(run, "reschedule_delivery")).toMatchObject({
      status: "failed",
      attempts: 3,
      error: { kind: "upstream_error", outcome: "unknown" },
    });
    expect(requestsTo("/reschedule")).toHaveLength(3);
    expect(plan.reschedule).toHaveLength(1);
    expect(writes.size).toBe(0);
    expect((await allTexts(runId)).slice(-2)).toEqual([
      "Our team approved moving the delivery of order 1043 to Monday 7 January 2030, but I could not confirm that it went through. The service that handles this had a problem on its side. A member of our team is checking and will follow up here.",
      "You don't need to do anything: we'll write here as soon as the carrier confirms.",
    ]);
    expect(await db.followUp.findUnique({ where: { runId } })).toMatchObject({ status: "open" });
  });

  it("opens a ticket with the carrier when it refuses the change, and writes no reschedule", async () => {
    const runId = await ask("Please move the delivery of order 1043 to 2030-01-08");
    plan.reschedule = [{ status: 409 }];
    const run = await approveAndFinish(runId);
    expect(call(run, "reschedule_delivery")).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { kind: "conflict" },
    });
    expect(call(run, "open_ticket")).toMatchObject({ status: "succeeded" });
    expect(requestsTo("/v1/tickets")).toHaveLength(1);
    // The carrier's own words ("Conflict (HTTP 409): scripted 409") stay with the trace and the ticket, never the customer.
    expect((await allTexts(runId)).slice(-2)).toEqual([
      "Our team approved moving the delivery of order 1043 to Tuesday 8 January 2030, but it did not go through. The parcel has already been delivered, so its delivery day can no longer change. Nothing has changed, and a member of our team will follow up here.",
      "I've opened a ticket with the carrier about it (reference tk_1).",
    ]);
    expect([...writes.values()]).toEqual([
      {
        ticketId: "tk_1",
        trackingNumber: "TRK-1043",
        subject: "Delivery change refused for order 1043",
      },
    ]);
  });
});
