// The follow-ups HTTP API, driven through its route handlers with personal access tokens.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { issueApiToken, TOKEN_SCOPES } from "@/lib/auth/tokens";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";

// Route handlers run outside a Next request here, so there is never a session.
vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const list = await import("@/app/api/v1/follow-ups/route");
const reply = await import("@/app/api/v1/follow-ups/[id]/reply/route");

afterAll(async () => {
  await stopBoss();
});

async function tokenFor(role: Role): Promise<string> {
  const user = await db.user.create({
    data: {
      email: `fu-api-${role}-${randomUUID().slice(0, 8)}@example.test`,
      name: `API ${role}`,
      passwordHash: "not-a-login",
      role,
    },
  });
  const actor: Actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  return (await issueApiToken(actor, { name: "ci", expiresInDays: 90, scopes: [...TOKEN_SCOPES] }))
    .token;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const get = (path: string, token: string) =>
  new Request(`http://countersign.test${path}`, { headers: auth(token) });
const post = (id: string, body: string | object, token: string) =>
  reply.POST(
    new Request(`http://countersign.test/api/v1/follow-ups/${id}/reply`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth(token) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    params(id),
  );

let reviewerToken: string;
let userToken: string;
let followUpId: string;

beforeAll(async () => {
  reviewerToken = await tokenFor("reviewer");
  userToken = await tokenFor("user");
  // A question no policy answers: the agent hands it to the team.
  const { runId } = await startTurn(await actorFor("user2@example.com"), {
    text: "Hello, zebra stripes?",
  });
  await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "follow-ups-api" });
  followUpId = (await db.followUp.findUniqueOrThrow({ where: { runId } })).id;
  // Longest-waiting first: made the oldest, so other files' open follow-ups cannot push it off the page.
  await db.$executeRaw`update follow_ups set created_at = created_at - interval '30 days' where id = ${followUpId}::uuid`;
});

describe("the follow-ups API", () => {
  it("lists open follow-ups for a reviewer's token, and refuses a bad status and an end user", async () => {
    const response = await list.GET(get("/api/v1/follow-ups", reviewerToken), params(""));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.open).toBeGreaterThanOrEqual(1);
    expect(body.items.find((f: { id: string }) => f.id === followUpId)).toMatchObject({
      status: "open",
      request: "Hello, zebra stripes?",
      customer: { email: "user2@example.com" },
    });

    const bad = await list.GET(get("/api/v1/follow-ups?status=closed", reviewerToken), params(""));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toBe("status: Choose open or answered");
    expect((await list.GET(get("/api/v1/follow-ups", userToken), params(""))).status).toBe(403);
  });

  it("replies once: 400 for an empty reply, 404 for an unknown id, 403 for an end user, 409 for a second reply", async () => {
    expect((await post(followUpId, { text: " " }, reviewerToken)).status).toBe(400);
    expect((await post(followUpId, "not json", reviewerToken)).status).toBe(400);
    expect((await post("nope", { text: "Hello" }, reviewerToken)).status).toBe(404);
    expect((await post(randomUUID(), { text: "Hello" }, reviewerToken)).status).toBe(404);
    expect((await post(followUpId, { text: "Hello" }, userToken)).status).toBe(403);
    expect(await db.message.count({ where: { author: "staff", text: "Hello" } })).toBe(0);

    const answered = await post(
      followUpId,
      { text: "We don't sell those yet, sorry!" },
      reviewerToken,
    );
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ answeredAt: expect.stringMatching(/^\d{4}-/) });
    const again = await post(followUpId, { text: "Me too" }, await tokenFor("reviewer"));
    expect(again.status).toBe(409);
    const late = (await again.json()).error;
    // In words for the reader (the first reviewer's name), the facts in the details for API clients.
    expect(late.message).toMatch(/^API reviewer answered it \d+ s ago; your reply was not sent\.$/);
    expect(late.details).toMatchObject({
      status: "answered",
      answeredBy: expect.stringMatching(/^fu-api-reviewer-/),
      answeredAt: expect.stringMatching(/^\d{4}-/),
    });
  });
});
