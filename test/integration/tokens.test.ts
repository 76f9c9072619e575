// Personal access tokens: minted only after the password is given again, with an expiry and
// scopes that the /api/v1 routes enforce (expired 401, missing scope 403), all audited.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { createApiToken, issueApiToken, listApiTokens, revokeApiToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const list = await import("@/app/api/v1/approvals/route");
const decision = await import("@/app/api/v1/approvals/[id]/decision/route");
const followUps = await import("@/app/api/v1/follow-ups/route");
const reply = await import("@/app/api/v1/follow-ups/[id]/reply/route");

const PASSWORD = "correct horse battery staple";
let reviewer: Actor;

beforeAll(async () => {
  const user = await db.user.create({
    data: {
      email: `tok-${randomUUID().slice(0, 8)}@example.test`,
      name: "Token reviewer",
      passwordHash: await hashPassword(PASSWORD),
      role: "reviewer",
    },
  });
  reviewer = { id: user.id, email: user.email, name: user.name, role: user.role };
});

afterAll(async () => {
  await db.signInThrottle.deleteMany({ where: { email: reviewer.email } });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const noParams = { params: Promise.resolve({}) };
const idParams = (id: string) => ({ params: Promise.resolve({ id }) });
const get = (path: string, token: string) =>
  new Request(`http://countersign.test${path}`, { headers: bearer(token) });
const post = (path: string, body: object, token: string) =>
  new Request(`http://countersign.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...bearer(token) },
    body: JSON.stringify(body),
  });

describe("creating a token", () => {
  it("asks for the password again: a wrong one is refused and nothing is created", async () => {
    const before = await db.apiToken.count({ where: { userId: reviewer.id } });
    await expect(
      createApiToken(
        reviewer,
        { name: "stolen session", expiresInDays: 90, scopes: ["read"], password: "guess" },
        "198.51.100.80",
      ),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: "That password is not right; no token was created.",
    });
    expect(await db.apiToken.count({ where: { userId: reviewer.id } })).toBe(before);
  });

  it("is throttled like sign-in: repeated wrong passwords make that address wait", async () => {
    for (let i = 0; i < 5; i++)
      await createApiToken(
        reviewer,
        { name: "x", expiresInDays: 7, scopes: ["read"], password: `guess-${i}` },
        "198.51.100.81",
      ).catch(() => {});
    await expect(
      createApiToken(
        reviewer,
        { name: "x", expiresInDays: 7, scopes: ["read"], password: PASSWORD },
        "198.51.100.81",
      ),
    ).rejects.toMatchObject({
      code: "rate_limited",
      message: /Try again in (2\d|30) seconds/,
    });
  });

  it("with the password, makes a token with the chosen expiry and scopes, shown on the list, and audited", async () => {
    const started = Date.now();
    const created = await createApiToken(
      reviewer,
      { name: "reader", expiresInDays: 7, scopes: ["read"], password: PASSWORD },
      "198.51.100.82",
    );
    expect(created).toMatchObject({ name: "reader", scopes: ["read"], state: "active" });
    const lifetime = new Date(created.expiresAt).getTime() - started;
    expect(lifetime).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(lifetime).toBeLessThan(7 * 86_400_000 + 60_000);
    expect((await listApiTokens(reviewer)).find((t) => t.id === created.id)).toMatchObject({
      scopes: ["read"],
      expiresAt: created.expiresAt,
    });
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { action: "token_created" },
      orderBy: { seq: "desc" },
    });
    expect(audit).toMatchObject({
      actorEmail: reviewer.email,
      payload: {
        tokenId: created.id,
        before: null,
        after: { name: "reader", scopes: ["read"], expiresAt: created.expiresAt },
      },
    });
    expect(JSON.stringify(audit.payload)).not.toContain(created.token);

    await revokeApiToken(reviewer, { tokenId: created.id });
    expect(
      await db.auditEntry.findFirstOrThrow({
        where: { action: "token_revoked" },
        orderBy: { seq: "desc" },
      }),
    ).toMatchObject({
      payload: {
        tokenId: created.id,
        before: { revokedAt: null },
        after: { revokedAt: expect.any(String) },
      },
    });
  });

  it("defaults to 90 days and refuses lifetimes and scopes that are not offered", async () => {
    const { createTokenInput } = await import("@/lib/auth/tokens");
    expect(
      createTokenInput.parse({ name: "n", scopes: ["decide", "read", "read"], password: "p" }),
    ).toMatchObject({
      expiresInDays: 90,
      scopes: ["read", "decide"],
    });
    expect(
      createTokenInput.safeParse({
        name: "n",
        scopes: ["read"],
        expiresInDays: 1000,
        password: "p",
      }).error?.issues[0]?.message,
    ).toBe("The token can last 7, 30, 90, 365 days");
    expect(
      createTokenInput.safeParse({ name: "n", scopes: [], password: "p" }).error?.issues[0]
        ?.message,
    ).toBe("Choose at least one scope");
    expect(createTokenInput.safeParse({ name: "n", scopes: ["root"], password: "p" }).success).toBe(
      false,
    );
    expect(
      createTokenInput.safeParse({ name: "n", scopes: ["read"] }).error?.issues[0]?.message,
    ).toBe("Enter your password to create a token");
  });

  it("gives the admin scope (the policy) to admins' tokens only", async () => {
    await expect(
      issueApiToken(reviewer, { name: "policy", expiresInDays: 7, scopes: ["admin"] }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("the API enforces a token's scopes and expiry", () => {
  it("a read token reads approvals and follow-ups but may not decide or reply (403)", async () => {
    const { token } = await issueApiToken(reviewer, {
      name: "read only",
      expiresInDays: 30,
      scopes: ["read"],
    });
    expect((await list.GET(get("/api/v1/approvals", token), noParams)).status).toBe(200);
    expect((await followUps.GET(get("/api/v1/follow-ups", token), noParams)).status).toBe(200);
    const id = randomUUID();
    const decided = await decision.POST(
      post(`/api/v1/approvals/${id}/decision`, { decision: "approve" }, token),
      idParams(id),
    );
    expect(decided.status).toBe(403);
    expect((await decided.json()).error.message).toMatch(/lacks the "decide" scope/);
    const replied = await reply.POST(
      post(`/api/v1/follow-ups/${id}/reply`, { text: "hi" }, token),
      idParams(id),
    );
    expect(replied.status).toBe(403);
    expect((await replied.json()).error.message).toMatch(/lacks the "reply" scope/);
  });

  it("a decide token may decide but not read; a reply token may reply", async () => {
    const { token: decider } = await issueApiToken(reviewer, {
      name: "decider",
      expiresInDays: 30,
      scopes: ["decide"],
    });
    expect((await list.GET(get("/api/v1/approvals", decider), noParams)).status).toBe(403);
    const id = randomUUID();
    // Past the scope check: an unknown item is 404, not 403.
    expect(
      (
        await decision.POST(
          post(`/api/v1/approvals/${id}/decision`, { decision: "approve" }, decider),
          idParams(id),
        )
      ).status,
    ).toBe(404);
    const { token: replier } = await issueApiToken(reviewer, {
      name: "replier",
      expiresInDays: 30,
      scopes: ["reply"],
    });
    expect(
      (
        await reply.POST(
          post(`/api/v1/follow-ups/${id}/reply`, { text: "hi" }, replier),
          idParams(id),
        )
      ).status,
    ).toBe(404);
  });

  it("an expired token is 401 with a clear message", async () => {
    const { id, token } = await issueApiToken(reviewer, {
      name: "old",
      expiresInDays: 7,
      scopes: ["read"],
    });
    const expiredAt = new Date(Date.now() - 1000);
    await db.apiToken.update({ where: { id }, data: { expiresAt: expiredAt } });
    const response = await list.GET(get("/api/v1/approvals", token), noParams);
    expect(response.status).toBe(401);
    expect((await response.json()).error.message).toBe(
      `This token expired at ${expiredAt.toISOString()}. Create a new one at /account/tokens.`,
    );
    expect((await listApiTokens(reviewer)).find((t) => t.id === id)?.state).toBe("expired");
  });
});
