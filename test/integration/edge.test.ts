// The edge of the app, in-process: cross-site refusal in guardedRoute, body limits, text the
// database cannot store, bounded numeric filters, and database errors mapped without internals.
// Each case names the behaviour it had before (a 500, a silent claim, a misreported conflict).
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { issueApiToken } from "@/lib/auth/tokens";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));

const claim = await import("@/app/api/approvals/[id]/claim/route");
const decision = await import("@/app/api/v1/approvals/[id]/decision/route");
const inbox = await import("@/app/api/approvals/route");
const { sendMessage } = await import("@/lib/chat/actions");
const { decide } = await import("@/lib/approvals/actions");
const { createToken } = await import("@/lib/auth/actions");
const { saveAgentSettings } = await import("@/lib/evals/actions");
const { effectiveSettings } = await import("@/lib/agent-settings/settings");
const { auditPageQuery, listAuditEntries } = await import("@/lib/audit/queries");
const { toClientError } = await import("@/lib/errors");

const APP = "http://countersign.test";
const params = (id: string) => ({ params: Promise.resolve({ id }) });
function post(
  path: string,
  init: { headers?: Record<string, string>; body?: BodyInit; duplex?: "half" } = {},
) {
  return new Request(`${APP}${path}`, { method: "POST", ...init } as RequestInit);
}

let reviewer: Actor;
let admin: Actor;
let customer: Actor;

async function parkedApproval() {
  const orderId = await freshOrder(2100);
  const { runId } = await startTurn(customer, {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  expect(await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "edge-test" })).toBe(
    "advanced",
  );
  return db.approval.findFirstOrThrow({ where: { runId } });
}

beforeAll(async () => {
  [reviewer, admin, customer] = await Promise.all([
    actorFor("reviewer@example.com"),
    actorFor("admin@example.com"),
    actorFor("user@example.com"),
  ]);
});
beforeEach(() => {
  signedIn.actor = null;
});
afterAll(async () => {
  await stopBoss();
});

describe("cross-site requests to state-changing routes", () => {
  it("refuses a cross-site claim (a form post riding the session) with 403, and claims nothing", async () => {
    const approval = await parkedApproval();
    signedIn.actor = reviewer;
    const forged: Record<string, string>[] = [
      { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      { "sec-fetch-site": "cross-site" },
      { origin: "null" },
    ];
    for (const headers of forged) {
      const response = await claim.POST(
        post(`/api/approvals/${approval.id}/claim`, { headers, body: "x=1" }),
        params(approval.id),
      );
      expect(response.status).toBe(403);
      expect((await response.json()).error).toMatchObject({
        code: "forbidden",
        message: expect.stringMatching(/another site/),
      });
    }
    expect(
      (await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).claimedById,
    ).toBeNull();
    const own = await claim.POST(
      post(`/api/approvals/${approval.id}/claim`, { headers: { origin: APP } }),
      params(approval.id),
    );
    expect(own.status).toBe(200);
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).claimedById).toBe(
      reviewer.id,
    );
  });

  it("lets a bearer token through from anywhere: a token is not ambient authority", async () => {
    const approval = await parkedApproval();
    const { token } = await issueApiToken(reviewer, {
      name: "edge",
      expiresInDays: 90,
      scopes: ["read", "decide", "reply"],
    });
    const response = await decision.POST(
      post(`/api/v1/approvals/${approval.id}/decision`, {
        headers: {
          origin: "https://elsewhere.example",
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ decision: "reject", reason: "Not eligible for a refund" }),
      }),
      params(approval.id),
    );
    expect(response.status).toBe(200);
    // The same request on a session, from another site, is refused.
    signedIn.actor = reviewer;
    const other = await parkedApproval();
    const refused = await decision.POST(
      post(`/api/v1/approvals/${other.id}/decision`, {
        headers: { origin: "https://elsewhere.example", "content-type": "application/json" },
        body: '{"decision":"approve"}',
      }),
      params(other.id),
    );
    expect(refused.status).toBe(403);
    expect((await db.approval.findUniqueOrThrow({ where: { id: other.id } })).status).toBe(
      "pending",
    );
  });
});

describe("bodies over the limit", () => {
  const id = "00000000-0000-4000-8000-000000000000";
  it("answers a declared Content-Length over 64 KiB with 413 before reading it", async () => {
    signedIn.actor = reviewer;
    const body = JSON.stringify({ decision: "reject", reason: "x".repeat(70_000) });
    const response = await decision.POST(
      post(`/api/v1/approvals/${id}/decision`, {
        headers: { "content-type": "application/json", "content-length": String(body.length) },
        body,
      }),
      params(id),
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatchObject({
      code: "payload_too_large",
      message: expect.stringMatching(/64 KiB/),
    });
  });

  it("answers a streamed body that grows past 64 KiB with 413 (no Content-Length to trust)", async () => {
    signedIn.actor = reviewer;
    const chunk = new TextEncoder().encode(`{"reason":"${"y".repeat(16_000)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await decision.POST(
      post(`/api/v1/approvals/${id}/decision`, {
        headers: { "content-type": "application/json" },
        body: stream,
        duplex: "half",
      }),
      params(id),
    );
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(10); // it stopped reading once over the limit
  });
});

describe("text the database cannot store", () => {
  it("refuses NUL in chat text with a clear message instead of a 500", async () => {
    signedIn.actor = customer;
    const before = await db.run.count();
    expect(await sendMessage({ text: "refund\u0000 please" })).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: expect.stringMatching(/^text: contains a NUL character/),
      },
    });
    expect(await db.run.count()).toBe(before);
  });

  it("refuses a lone surrogate in a reject reason, and nothing is decided", async () => {
    const approval = await parkedApproval();
    signedIn.actor = reviewer;
    const result = await decide({
      approvalId: approval.id,
      decision: "reject",
      reason: "bad \uD800 reason",
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "invalid_input", message: expect.stringMatching(/^reason: .*surrogate/) },
    });
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "pending",
    );
  });

  it("refuses NUL in edited arguments (jsonb) and in a token name", async () => {
    const approval = await parkedApproval();
    signedIn.actor = reviewer;
    expect(
      await decide({
        approvalId: approval.id,
        decision: "edit",
        arguments: { order_id: 1, ["amount\u0000"]: 1 },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
    expect(await createToken({ name: "ci\u0000" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input", message: expect.stringMatching(/^name: /) },
    });
  });

  it("refuses NUL in a query filter with 400 naming it", async () => {
    signedIn.actor = reviewer;
    const response = await inbox.GET(new Request(`${APP}/api/approvals?reason=a%00b`), params(""));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/^reason: contains a NUL/);
  });

  it("reports a NUL in a settings reason as what it is, not as someone else's change", async () => {
    signedIn.actor = admin;
    const { version, settings } = await effectiveSettings("support");
    const result = await saveAgentSettings({
      agent: "support",
      settings,
      reason: "tighten\u0000 limits",
      basedOnVersion: version,
    });
    expect(result).toEqual({
      ok: false,
      error: { code: "invalid_input", message: expect.stringMatching(/^reason: contains a NUL/) },
    });
    expect((await effectiveSettings("support")).version).toBe(version);
  });
});

describe("numeric filters and database errors", () => {
  it("treats an audit cursor past the 32-bit range as no cursor, not a 500", async () => {
    for (const raw of [
      { before: "1099511627776" },
      { after: "2147483648" },
      { before: "-1" },
      { before: "1e400" },
    ]) {
      const page = await listAuditEntries(auditPageQuery.parse(raw));
      expect(page.entries.length).toBeGreaterThanOrEqual(0);
    }
  });

  it("maps a database refusal to a clear client error with no SQL, values or table names", async () => {
    const error = await db.apiToken
      .create({
        data: {
          userId: reviewer.id,
          name: "a\u0000b",
          tokenHash: `edge-${Date.now()}`,
          expiresAt: new Date(Date.now() + 86_400_000),
        },
      })
      .catch((e: unknown) => e);
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const client = toClientError(error);
    expect(client).toEqual({
      code: "invalid_input",
      message: expect.stringMatching(/cannot be stored/),
    });
    const logged = String(spy.mock.calls[0]?.[0]);
    expect(logged).toMatch(/"sqlstate":"22021"/);
    expect(logged).not.toMatch(/apiToken|invocation|0x00|\.ts:|stack/);
    spy.mockRestore();
  });
});
