// The client against a loopback HTTP server that plays Countersign's /api/v1/actions: proposal
// with an Idempotency-Key, long-poll until a decision, the report with the grant, retries,
// timeouts, aborts, errors, and webhook verification.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createClient,
  CountersignError,
  CountersignNotApprovedError,
  CountersignTimeoutError,
  verifyWebhook,
  WebhookVerificationError,
} from "./index";
import type { ActionView } from "./wire";

type FakeAction = ActionView & { key: string };

class FakeCountersign {
  actions = new Map<string, FakeAction>();
  proposals: {
    key: string | undefined;
    authorization: string | undefined;
    body: Record<string, unknown>;
  }[] = [];
  polls: string[] = [];
  reports: Record<string, unknown>[] = [];
  /** Status codes to answer the next requests with, before doing the real thing. */
  failNext: number[] = [];
  waiters: (() => void)[] = [];

  decide(id: string, change: Partial<ActionView>) {
    const action = this.actions.get(id)!;
    Object.assign(
      action,
      { decided_by: "reviewer@example.com", decided_at: new Date().toISOString() },
      change,
    );
    if (action.status === "approved") action.grant = `csg_${id}`;
    for (const wake of this.waiters.splice(0)) wake();
  }

  async handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url!, "http://fake");
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>)
      : {};
    const send = (status: number, json: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(json));
    };
    const injected = this.failNext.shift();
    if (injected) return send(injected, { error: { code: "unavailable", message: "try again" } });
    if (request.headers.authorization !== "Bearer cs_agent_test")
      return send(401, { error: { code: "unauthenticated", message: "agent key required" } });

    if (request.method === "POST" && url.pathname === "/api/v1/actions") {
      const key = request.headers["idempotency-key"] as string | undefined;
      this.proposals.push({ key, authorization: request.headers.authorization, body });
      if (!key)
        return send(400, {
          error: { code: "invalid_input", message: "Idempotency-Key header is required" },
        });
      if (body.tool === "bad")
        return send(400, {
          error: { code: "invalid_input", message: "arguments.amount: expected a number" },
        });
      const existing = [...this.actions.values()].find((a) => a.key === key);
      if (existing)
        return send(201, { id: existing.id, status: existing.status, reasons: existing.reasons });
      const id = crypto.randomUUID();
      const status = body.irreversible ? "pending" : "approved";
      this.actions.set(id, {
        key,
        id,
        status,
        tool: String(body.tool),
        arguments: body.arguments as Record<string, unknown>,
        arguments_hash: "a".repeat(64),
        edited: false,
        reason: null,
        reasons: body.irreversible ? ["The tool is irreversible"] : [],
        decided_by: status === "approved" ? "policy" : null,
        decided_at: null,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        grant: status === "approved" ? `csg_${id}` : null,
        result_status: null,
      });
      return send(201, { id, status, reasons: this.actions.get(id)!.reasons });
    }
    const match = /^\/api\/v1\/actions\/([^/]+)(\/result)?$/.exec(url.pathname);
    const action = match && this.actions.get(match[1]!);
    if (!action) return send(404, { error: { code: "not_found", message: "no such action" } });
    if (request.method === "GET") {
      this.polls.push(url.search);
      const wait = Number(url.searchParams.get("wait") ?? 0);
      if (action.status === "pending" && wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait * 1000);
          this.waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      const { key: _key, ...view } = action;
      return send(200, view);
    }
    this.reports.push(body);
    if (body.grant !== `csg_${action.id}`)
      return send(403, { error: { code: "forbidden", message: "wrong grant" } });
    if (action.status === "completed")
      return send(409, { error: { code: "conflict", message: "already reported" } });
    Object.assign(action, { status: "completed", result_status: body.status, grant: null });
    return send(200, { id: action.id, status: "completed", result_status: body.status });
  }
}

let server: Server;
let fake: FakeCountersign;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => void fake.handle(request, response));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  fake = new FakeCountersign();
});

const client = (extra: Partial<Parameters<typeof createClient>[0]> = {}) =>
  createClient({ baseUrl, agentKey: "cs_agent_test", pollSeconds: 5, ...extra });
const refund = {
  tool: "issue_refund",
  arguments: { order_id: "1042", amount_cents: 5000 },
  irreversible: true,
};

/** Resolves once the fake holds a long-poll open for a pending action. */
async function pendingAction(): Promise<string> {
  for (;;) {
    const [action] = fake.actions.values();
    if (action && fake.waiters.length > 0) return action.id;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("requireApproval", () => {
  it("proposes with a bearer key and an Idempotency-Key, long-polls until edited and approved, and reports with the grant", async () => {
    const decision = client().requireApproval(refund);
    const id = await pendingAction();
    fake.decide(id, {
      status: "approved",
      arguments: { order_id: "1042", amount_cents: 2500 },
      edited: true,
      reason: "half is fair",
    });
    const outcome = await decision;

    expect(fake.proposals).toHaveLength(1);
    expect(fake.proposals[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.proposals[0]!.body).toEqual(refund);
    expect(fake.polls.every((query) => query === "?wait=5")).toBe(true);
    expect(outcome.status).toBe("approved");
    if (!outcome.approved) throw new Error("expected an approval");
    expect(outcome).toMatchObject({
      arguments: { order_id: "1042", amount_cents: 2500 },
      edited: true,
      reason: "half is fair",
      decidedBy: "reviewer@example.com",
      reasons: ["The tool is irreversible"],
    });

    await outcome.complete({ refund_id: "rf_1" });
    expect(fake.reports).toEqual([
      { grant: `csg_${id}`, status: "succeeded", result: { refund_id: "rf_1" } },
    ]);
    expect(fake.actions.get(id)!.status).toBe("completed");
  });

  it("returns at once with a grant when policy lets the call run", async () => {
    const outcome = await client().requireApproval({
      tool: "lookup_order",
      arguments: { order_id: "1042" },
      irreversible: false,
    });
    expect(outcome).toMatchObject({
      status: "approved",
      approved: true,
      arguments: { order_id: "1042" },
      edited: false,
    });
    await outcome.fail(new Error("the shop was down"));
    expect(fake.reports).toEqual([
      { grant: outcome.grant, status: "failed", error: "the shop was down" },
    ]);
  });

  it("retries a failed proposal under the same Idempotency-Key, making one action", async () => {
    fake.failNext = [503, 502];
    const outcome = await client().requireApproval({
      ...refund,
      irreversible: false,
      idempotencyKey: "order-1042-refund",
    });
    expect(outcome.status).toBe("approved");
    expect(fake.actions.size).toBe(1);
    // The two injected failures answered before the fake recorded anything: one proposal reached it, with the caller's key.
    expect(fake.proposals.map((p) => p.key)).toEqual(["order-1042-refund"]);
  });

  it("hands back a rejection with the reason, and refuses to report an outcome for it", async () => {
    const decision = client().requireApproval(refund);
    fake.decide(await pendingAction(), { status: "rejected", reason: "the order was never paid" });
    const outcome = await decision;
    expect(outcome).toMatchObject({
      status: "rejected",
      approved: false,
      arguments: null,
      grant: null,
      reason: "the order was never paid",
    });
    await expect(outcome.complete("done")).rejects.toBeInstanceOf(CountersignNotApprovedError);
    expect(fake.reports).toEqual([]);
  });

  it("gives up after timeoutMs with the action's id, leaving it pending", async () => {
    const error = await client({ pollSeconds: 1 })
      .requireApproval({ ...refund, timeoutMs: 1500 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CountersignTimeoutError);
    const [action] = fake.actions.values();
    expect((error as CountersignTimeoutError).actionId).toBe(action!.id);
    expect(action!.status).toBe("pending");
  });

  it("stops waiting when its signal aborts", async () => {
    const controller = new AbortController();
    const decision = client().requireApproval({ ...refund, signal: controller.signal });
    await pendingAction();
    controller.abort(new Error("the user left"));
    await expect(decision).rejects.toThrow("the user left");
  });

  it("turns an error answer into a CountersignError naming the field", async () => {
    const error = await client()
      .requireApproval({ ...refund, tool: "bad" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CountersignError);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_input",
      message: "arguments.amount: expected a number",
    });
    const unauthorised = await createClient({ baseUrl, agentKey: "cs_agent_wrong" })
      .requireApproval(refund)
      .catch((e: unknown) => e);
    expect(unauthorised).toMatchObject({ status: 401, code: "unauthenticated" });
  });

  it("checks a proposal against the schema before sending it", async () => {
    const error = await client()
      .requireApproval({ ...refund, confidence: 7 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("confidence"),
    });
    expect(fake.proposals).toHaveLength(0);
  });
});

describe("reportResult", () => {
  it("counts a 409 after a lost answer as reported, but a first 409 as a replay", async () => {
    const outcome = await client().requireApproval({ ...refund, irreversible: false });
    if (!outcome.approved) throw new Error("expected an approval");
    await outcome.complete({ ok: true });
    // The first report landed; a client that never heard back sends it again.
    fake.failNext = [503];
    await expect(
      client().reportResult(outcome.id, { grant: outcome.grant, status: "succeeded" }),
    ).resolves.toBeUndefined();
    await expect(outcome.complete({ ok: true })).rejects.toMatchObject({ status: 409 });
  });
});

describe("verifyWebhook", () => {
  const secret = `whsec_${Buffer.from("a-signing-secret-of-32-bytes-len").toString("base64")}`;
  const event = {
    type: "action.approved",
    timestamp: new Date().toISOString(),
    data: {
      id: crypto.randomUUID(),
      status: "approved",
      tool: "issue_refund",
      arguments: { amount_cents: 2500 },
      arguments_hash: "a".repeat(64),
      edited: true,
      reason: null,
      reasons: [],
      decided_by: "reviewer@example.com",
      decided_at: new Date().toISOString(),
      expires_at: new Date().toISOString(),
      grant: "csg_x",
      result_status: null,
    },
  };

  function signed(body: string) {
    const id = `msg_${crypto.randomUUID()}`;
    const timestamp = new Date();
    return new Headers({
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(id, timestamp, body),
    });
  }

  it("accepts a correctly signed event and returns it typed", () => {
    const body = JSON.stringify(event);
    expect(verifyWebhook(secret, body, signed(body))).toEqual(event);
  });

  it("refuses a changed body, another secret, or missing headers", () => {
    const body = JSON.stringify(event);
    const headers = signed(body);
    expect(() => verifyWebhook(secret, body.replace("2500", "250000"), headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() =>
      verifyWebhook(
        `whsec_${Buffer.from("another-secret-another-secret-00").toString("base64")}`,
        body,
        headers,
      ),
    ).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(secret, body, {})).toThrow(WebhookVerificationError);
  });
});
