// A reviewer's reason reaches the customer the same way whichever path the decision took — the
// packet's action, the inbox's bulk action, the HTTP API — and whichever agent's tool it was: the
// product writes it when the run resumes, not the agent's script.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { issueApiToken, TOKEN_SCOPES } from "@/lib/auth/tokens";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const { decide, decideMany } = await import("@/lib/approvals/actions");
const decisionRoute = await import("@/app/api/v1/approvals/[id]/decision/route");

const deps = { model: new OfflineDemoModel(), workerId: "decision-paths" };
let reviewer: Actor;
let token: string;
const runIds: string[] = [];

beforeAll(async () => {
  reviewer = await actorFor("reviewer@example.com");
  const apiReviewer = await db.user.create({
    data: {
      email: `paths-${randomUUID().slice(0, 8)}@example.test`,
      name: "API reviewer",
      passwordHash: "not-a-login",
      role: "reviewer",
    },
  });
  token = (
    await issueApiToken(
      { id: apiReviewer.id, email: apiReviewer.email, name: apiReviewer.name, role: "reviewer" },
      { name: "paths", expiresInDays: 7, scopes: [...TOKEN_SCOPES] },
    )
  ).token;
});
afterAll(async () => {
  signedIn.actor = null;
  // Answered, so later files' follow-up lists are not crowded by this one's.
  await db.followUp.updateMany({
    where: { runId: { in: runIds }, status: "open" },
    data: { status: "answered", answeredById: reviewer.id, answeredAt: new Date() },
  });
  await stopBoss();
});

async function parked(text: string) {
  const { runId } = await startTurn(await actorFor("user2@example.com"), { text });
  runIds.push(runId);
  await advanceRun(runId, deps);
  return db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
}

async function toldAfterResume(runId: string) {
  await advanceRun(runId, deps);
  return (
    await db.message.findMany({
      where: { runId, author: "assistant" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    })
  ).map((m) => m.text);
}

describe("a reviewer's reason, on every decision path", () => {
  it("reaches the customer from the packet's action (a password reset of the accounts agent)", async () => {
    const approval = await parked("I can't log in, please send me a password reset");
    signedIn.actor = reviewer;
    expect(
      await decide({
        decision: "reject",
        approvalId: approval.id,
        reason: "Please call us from the number on your account",
      }),
    ).toMatchObject({ ok: true });
    expect(await toldAfterResume(approval.runId)).toContain(
      "Our team did not approve sending you a password reset link by email. Their reason: “Please call us from the number on your account”. Nothing has been done.",
    );
  });

  it("reaches every customer from the bulk action", async () => {
    const orders = [await freshOrder(1200, "cus_grace"), await freshOrder(3400, "cus_grace")];
    const approvals = [
      await parked(`Order ${orders[0]} arrived broken, I want my money back`),
      await parked(`Order ${orders[1]} arrived broken, I want my money back`),
    ];
    signedIn.actor = reviewer;
    const result = await decideMany({
      decision: "reject",
      reason: "These were refunded by bank transfer",
      items: approvals.map((a) => ({ approvalId: a.id })),
    });
    expect(result).toMatchObject({ ok: true });
    expect(await toldAfterResume(approvals[0]!.runId)).toContain(
      `Our team did not approve a refund of €12.00 for order ${orders[0]}. Their reason: “These were refunded by bank transfer”. Nothing has been done.`,
    );
    expect(await toldAfterResume(approvals[1]!.runId)).toContain(
      `Our team did not approve a refund of €34.00 for order ${orders[1]}. Their reason: “These were refunded by bank transfer”. Nothing has been done.`,
    );
  });

  it("reaches the customer from the HTTP API, and an edit's note with what changed", async () => {
    const order = await freshOrder(5000, "cus_grace");
    const approval = await parked(`Order ${order} arrived broken, I want my money back`);
    signedIn.actor = null;
    const response = await decisionRoute.POST(
      new Request(`http://countersign.test/api/v1/approvals/${approval.id}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          decision: "edit",
          arguments: { order_id: order, amount_cents: 2000, reason: "Partial refund" },
          reason: "Only the lid was broken",
        }),
      }),
      { params: Promise.resolve({ id: approval.id }) },
    );
    expect(response.status).toBe(200);
    expect(await toldAfterResume(approval.runId)).toContain(
      "Our team changed your request before approving it: they set the refund to €20.00 instead of €50.00. Their note: “Only the lid was broken”. It's done.",
    );
  });
});
