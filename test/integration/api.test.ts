// The HTTP API for decisions, driven through its route handlers with personal access tokens:
// valid, revoked, deactivated owner, wrong role; and each status code the contract promises.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { hashToken, issueApiToken, revokeApiToken, TOKEN_SCOPES } from "@/lib/auth/tokens";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

// Route handlers run outside a Next request here, so there is never a session: a request
// without a token must be refused as if signed out.
vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const list = await import("@/app/api/v1/approvals/route");
const detail = await import("@/app/api/v1/approvals/[id]/route");
const decision = await import("@/app/api/v1/approvals/[id]/decision/route");

afterAll(async () => {
  await stopBoss();
});

async function newUser(role: Role): Promise<Actor> {
  const user = await db.user.create({
    data: {
      email: `api-${role}-${randomUUID().slice(0, 8)}@example.test`,
      name: `API ${role}`,
      passwordHash: "not-a-login",
      role,
    },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

function get(path: string, headers: Record<string, string> = {}) {
  return new Request(`http://countersign.test${path}`, { headers });
}
function post(path: string, body: string | object, headers: Record<string, string> = {}) {
  return new Request(`http://countersign.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function parkedRefund(totalCents: number) {
  const orderId = await freshOrder(totalCents);
  const { runId } = await startTurn(await actorFor("user@example.com"), {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  expect(await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "api-test" })).toBe(
    "advanced",
  );
  return { approval: await db.approval.findFirstOrThrow({ where: { runId } }), orderId };
}

let reviewer: Actor;
let token: string;

beforeAll(async () => {
  reviewer = await newUser("reviewer");
  token = (
    await issueApiToken(reviewer, { name: "ci", expiresInDays: 90, scopes: [...TOKEN_SCOPES] })
  ).token;
});

describe("personal access tokens", () => {
  it("are shown once and stored only as a SHA-256 hash", async () => {
    expect(token).toMatch(/^cs_pat_[A-Za-z0-9_-]{43}$/);
    const rows = await db.apiToken.findMany({ where: { userId: reviewer.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token.slice(7));
  });

  it("authenticate a reviewer and record the use", async () => {
    const response = await list.GET(get("/api/v1/approvals?limit=1", bearer(token)), params(""));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      items: expect.any(Array),
      total: expect.any(Number),
    });
    expect(
      (await db.apiToken.findFirstOrThrow({ where: { userId: reviewer.id } })).lastUsedAt,
    ).not.toBeNull();
  });

  it("refuse a request without a token or session, and a malformed or unknown token, with 401", async () => {
    for (const headers of [
      {},
      { authorization: "Basic abc" },
      bearer("cs_pat_short"),
      bearer(`cs_pat_${"A".repeat(43)}`),
    ]) {
      const response = await list.GET(get("/api/v1/approvals", headers), params(""));
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe("unauthenticated");
    }
    const challenged = await list.GET(get("/api/v1/approvals", bearer("nope")), params(""));
    expect(challenged.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("stop working once revoked, and only their owner can revoke them", async () => {
    const owner = await newUser("reviewer");
    const { id, token: revocable } = await issueApiToken(owner, {
      name: "to revoke",
      expiresInDays: 90,
      scopes: [...TOKEN_SCOPES],
    });
    expect((await list.GET(get("/api/v1/approvals", bearer(revocable)), params(""))).status).toBe(
      200,
    );
    await expect(revokeApiToken(reviewer, { tokenId: id })).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await list.GET(get("/api/v1/approvals", bearer(revocable)), params(""))).status).toBe(
      200,
    );
    await revokeApiToken(owner, { tokenId: id });
    const response = await list.GET(get("/api/v1/approvals", bearer(revocable)), params(""));
    expect(response.status).toBe(401);
    expect((await response.json()).error.message).toMatch(/revoked/);
  });

  it("stop working while their owner is deactivated", async () => {
    const owner = await newUser("reviewer");
    const { token: owned } = await issueApiToken(owner, {
      name: "deactivation",
      expiresInDays: 90,
      scopes: [...TOKEN_SCOPES],
    });
    await db.user.update({ where: { id: owner.id }, data: { active: false } });
    expect((await list.GET(get("/api/v1/approvals", bearer(owned)), params(""))).status).toBe(401);
    await db.user.update({ where: { id: owner.id }, data: { active: true } });
    expect((await list.GET(get("/api/v1/approvals", bearer(owned)), params(""))).status).toBe(200);
  });

  it("give an end user's token no access (403), and nothing is decided with it", async () => {
    const { approval } = await parkedRefund(1900);
    const { token: userToken } = await issueApiToken(await newUser("user"), {
      name: "not a reviewer",
      expiresInDays: 90,
      scopes: [...TOKEN_SCOPES],
    });
    expect((await list.GET(get("/api/v1/approvals", bearer(userToken)), params(""))).status).toBe(
      403,
    );
    expect(
      (
        await detail.GET(
          get(`/api/v1/approvals/${approval.id}`, bearer(userToken)),
          params(approval.id),
        )
      ).status,
    ).toBe(403);
    const attempt = await decision.POST(
      post(`/api/v1/approvals/${approval.id}/decision`, { decision: "approve" }, bearer(userToken)),
      params(approval.id),
    );
    expect(attempt.status).toBe(403);
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "pending",
    );
  });
});

describe("GET /api/v1/approvals", () => {
  it("filters and pages with a keyset cursor", async () => {
    await parkedRefund(2100);
    await parkedRefund(2200);
    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 3; page++) {
      const response = await list.GET(
        get(
          `/api/v1/approvals?agent=refunds&tool=issue_refund&sort=expiring&limit=1&cursor=${cursor}`,
          bearer(token),
        ),
        params(""),
      );
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.items).toHaveLength(1);
      expect(body.items[0]).toMatchObject({
        agent: "refunds",
        tool: "issue_refund",
        status: "pending",
        arguments: { amount_cents: expect.any(Number) },
      });
      seen.push(body.items[0].id);
      cursor = body.nextCursor;
    }
    expect(new Set(seen).size).toBe(3);
  });

  it("answers 400 with the validation message for bad filters", async () => {
    const response = await list.GET(
      get("/api/v1/approvals?status=maybe&limit=0", bearer(token)),
      params(""),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/status is one of pending, decided/);
  });
});

describe("GET /api/v1/approvals/{id}", () => {
  it("answers the item's state, or 404", async () => {
    const { approval, orderId } = await parkedRefund(2300);
    const response = await detail.GET(
      get(`/api/v1/approvals/${approval.id}`, bearer(token)),
      params(approval.id),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      id: approval.id,
      status: "pending",
      tool: "issue_refund",
      proposedArguments: { order_id: orderId, amount_cents: 2300 },
      executedArguments: null,
    });
    expect(body.trace).toBeUndefined();
    for (const id of [randomUUID(), "not-a-uuid"]) {
      expect(
        (await detail.GET(get(`/api/v1/approvals/${id}`, bearer(token)), params(id))).status,
      ).toBe(404);
    }
  });
});

describe("POST /api/v1/approvals/{id}/decision", () => {
  it("validates (400), decides (200 with the resulting state), then answers 409 naming who decided and when", async () => {
    const { approval, orderId } = await parkedRefund(2400);
    const url = `/api/v1/approvals/${approval.id}/decision`;
    const send = (body: string | object) =>
      decision.POST(post(url, body, bearer(token)), params(approval.id));

    const invalid: Array<[string | object, RegExp]> = [
      ["{not json", /must be JSON/],
      [[1, 2], /JSON object/],
      [{ decision: "maybe" }, /Expected 'approve' \| 'reject' \| 'edit'/],
      [{ decision: "reject" }, /reason: Invalid input/],
      [{ decision: "reject", reason: "no" }, /Give the reason in a few words/],
      [
        {
          decision: "edit",
          arguments: { order_id: orderId, amount_cents: -5, reason: "Partial refund" },
        },
        /amount_cents/,
      ],
    ];
    for (const [body, message] of invalid) {
      const response = await send(body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(message);
    }
    // A form post (which another site could make with the reviewer's cookie) is not JSON: refused.
    const formPost = await decision.POST(
      post(url, '{"decision":"approve"}', { ...bearer(token), "content-type": "text/plain" }),
      params(approval.id),
    );
    expect(formPost.status).toBe(400);
    expect((await formPost.json()).error.message).toBe("Send the body as application/json");
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "pending",
    );

    const edited = {
      order_id: orderId,
      amount_cents: 1000,
      reason: "Partial refund agreed over the phone",
    };
    const ok = await send({
      decision: "edit",
      arguments: edited,
      reason: "Customer accepted a partial refund",
    });
    expect(ok.status).toBe(200);
    const outcome = await ok.json();
    expect(outcome).toMatchObject({
      approvalId: approval.id,
      status: "approved",
      decidedBy: reviewer.email,
      runResumed: true,
      approval: {
        status: "approved",
        proposedArguments: { amount_cents: 2400 },
        approvedArguments: edited,
        decidedBy: reviewer.email,
        claim: null,
      },
    });

    const again = await send({ decision: "reject", reason: "Changed my mind" });
    expect(again.status).toBe(409);
    const conflict = (await again.json()).error;
    expect(conflict.message).toMatch(
      /^API reviewer approved it \d+ s ago; nothing else was decided\.$/,
    );
    expect(conflict.details).toMatchObject({
      status: "approved",
      decidedBy: reviewer.email,
      decidedAt: outcome.decidedAt,
    });
    expect(
      (await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).approvedArguments,
    ).toEqual(edited);
  });

  it("answers 404 for an item that does not exist", async () => {
    for (const id of [randomUUID(), "123"]) {
      const response = await decision.POST(
        post(`/api/v1/approvals/${id}/decision`, { decision: "approve" }, bearer(token)),
        params(id),
      );
      expect(response.status).toBe(404);
    }
  });
});
