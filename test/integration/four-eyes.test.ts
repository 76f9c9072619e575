// Four-eyes through the HTTP decision door: a €150 refund under "two approvals above €100" answers
// the first approval with { status: "pending", approvals: 1, required: 2 }, refuses the same
// reviewer twice (409) and the requester altogether, executes once after the second approval with
// the arguments both approved; a rejection by either ends it; an edit starts the count again; each
// vote is recorded and audited; an item parked under version v keeps v's requirement after v+1.
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
import { clearPolicy, savePolicyRules, TWO_ABOVE_100 } from "../support/policy";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const decisionRoute = await import("@/app/api/v1/approvals/[id]/decision/route");
const { approvalPacket } = await import("@/lib/approvals/queries");

const deps = { model: new OfflineDemoModel(), workerId: "four-eyes" };
let admin: Actor;
const tokens: Record<"first" | "second" | "requester", string> = {
  first: "",
  second: "",
  requester: "",
};
const emails: Record<keyof typeof tokens, string> = { first: "", second: "", requester: "" };

async function reviewerToken(email: string) {
  const user = await db.user.create({
    data: { email, name: "Four-eyes reviewer", passwordHash: "not-a-login", role: "reviewer" },
  });
  return (
    await issueApiToken(
      { id: user.id, email, name: user.name, role: "reviewer" },
      { name: "four-eyes", expiresInDays: 7, scopes: [...TOKEN_SCOPES] },
    )
  ).token;
}

beforeAll(async () => {
  admin = await actorFor("admin@example.com");
  const tag = randomUUID().slice(0, 8);
  emails.first = `first-${tag}@example.test`;
  emails.second = `second-${tag}@example.test`;
  // The run's customer under another spelling of their email: the same person, a reviewer's login.
  emails.requester = "User2@Example.com";
  for (const who of ["first", "second", "requester"] as const)
    tokens[who] = await reviewerToken(emails[who]);
});
afterAll(async () => {
  await clearPolicy(admin);
  await db.apiToken.deleteMany({ where: { user: { email: { in: [emails.requester] } } } });
  await db.user.deleteMany({ where: { email: emails.requester } });
  await stopBoss();
});

async function parkedRefund(totalCents: number) {
  const order = await freshOrder(totalCents, "cus_grace");
  const { runId } = await startTurn(await actorFor("user2@example.com"), {
    text: `Order ${order} arrived broken, I want my money back`,
  });
  await advanceRun(runId, deps);
  return {
    order,
    approval: await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } }),
  };
}

async function decide(who: keyof typeof tokens, approvalId: string, body: Record<string, unknown>) {
  const response = await decisionRoute.POST(
    new Request(`http://countersign.test/api/v1/approvals/${approvalId}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens[who]}` },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: approvalId }) },
  );
  return { status: response.status, body: await response.json() };
}

const refundsOf = (order: number) => db.refund.findMany({ where: { orderId: order } });

describe("four-eyes over HTTP", () => {
  it("waits for two reviewers, refuses the first twice and the requester, then executes once with what both approved", async () => {
    await savePolicyRules(admin, [TWO_ABOVE_100]);
    const { order, approval } = await parkedRefund(15000);
    expect(approval.requiredApprovals).toBe(2);

    const first = await decide("first", approval.id, {
      decision: "approve",
      expectedHash: approval.proposedHash,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "pending", approvals: 1, required: 2 });
    expect((await approvalPacket(approval.id))!.policy).toMatchObject({
      requiredApprovals: 2,
      approvedBy: [emails.first],
    });

    const again = await decide("first", approval.id, { decision: "approve" });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toMatch(/already approved this \(1 of 2\)/);

    const requester = await decide("requester", approval.id, { decision: "approve" });
    expect(requester.status).toBe(403);
    expect(JSON.stringify(requester.body)).toMatch(/request you made yourself/);

    // Nothing has run yet: the run still waits.
    await advanceRun(approval.runId, deps);
    expect(await refundsOf(order)).toHaveLength(0);

    const second = await decide("second", approval.id, {
      decision: "approve",
      expectedHash: approval.proposedHash,
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: "approved", approvals: 2, required: 2 });
    await advanceRun(approval.runId, deps);
    const refunds = await refundsOf(order);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.amountCents).toBe(15000);

    const votes = await db.approvalVote.findMany({ where: { approvalId: approval.id } });
    expect(votes).toHaveLength(2);
    const audited = await db.$queryRaw<{ n: bigint }[]>`
      select (select count(*) from audit_pending where approval_id = ${approval.id}::uuid and action = 'approval_vote')
           + (select count(*) from audit_entries where approval_id = ${approval.id}::uuid and action = 'approval_vote') as n`;
    expect(Number(audited[0]!.n)).toBe(2);

    // Decided: a third approval is a conflict naming who decided.
    const late = await decide("first", approval.id, { decision: "approve" });
    expect(late.status).toBe(409);
  });

  it("a rejection by the second reviewer ends it: nothing runs", async () => {
    await savePolicyRules(admin, [TWO_ABOVE_100]);
    const { order, approval } = await parkedRefund(15000);
    expect((await decide("first", approval.id, { decision: "approve" })).body).toMatchObject({
      status: "pending",
      approvals: 1,
    });
    const rejected = await decide("second", approval.id, {
      decision: "reject",
      reason: "Two refunds on this order already",
    });
    expect(rejected.body).toMatchObject({ status: "rejected" });
    await advanceRun(approval.runId, deps);
    expect(await refundsOf(order)).toHaveLength(0);
    expect((await decide("first", approval.id, { decision: "approve" })).status).toBe(409);
  });

  it("an edit starts the count again for the new arguments, which are what runs", async () => {
    await savePolicyRules(admin, [TWO_ABOVE_100]);
    const { order, approval } = await parkedRefund(15000);
    await decide("first", approval.id, { decision: "approve" });
    const edited = await decide("second", approval.id, {
      decision: "edit",
      arguments: { order_id: order, amount_cents: 12000, reason: "Partial refund" },
      reason: "Only part of it was broken",
    });
    expect(edited.body).toMatchObject({
      status: "pending",
      approvals: 1,
      required: 2,
      approvedBy: [emails.second],
    });
    // The editor's approval counts for the new arguments; they cannot give the second.
    expect((await decide("second", approval.id, { decision: "approve" })).status).toBe(409);
    // The first reviewer's earlier approval was for other arguments: an approval against them is refused.
    expect(
      (
        await decide("first", approval.id, {
          decision: "approve",
          expectedHash: approval.proposedHash,
        })
      ).status,
    ).toBe(409);
    const current = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(
      (
        await decide("first", approval.id, {
          decision: "approve",
          expectedHash: current.proposedHash,
        })
      ).body,
    ).toMatchObject({
      status: "approved",
      approvals: 2,
    });
    await advanceRun(approval.runId, deps);
    expect((await refundsOf(order)).map((r) => r.amountCents)).toEqual([12000]);
  });

  it("an edit to another record moves the item's records with it: pending calls are matched on them", async () => {
    await savePolicyRules(admin, [TWO_ABOVE_100]);
    const { order, approval } = await parkedRefund(15000);
    expect(approval.records).toEqual([`order:${order}`]);
    const other = await freshOrder(15000, "cus_grace");
    const edited = await decide("first", approval.id, {
      decision: "edit",
      arguments: { order_id: other, amount_cents: 12000, reason: "The other order" },
      reason: "The customer named the wrong order",
    });
    expect(edited.body).toMatchObject({ status: "pending", approvals: 1 });
    const current = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(current.records).toEqual([`order:${other}`]);
  });

  it("an item parked under version v keeps v's requirement after v+1 is saved", async () => {
    const v = await savePolicyRules(admin, [TWO_ABOVE_100]);
    const { order, approval } = await parkedRefund(15000);
    await savePolicyRules(admin, [], "drop the four-eyes rule");
    expect((await decide("first", approval.id, { decision: "approve" })).body).toMatchObject({
      status: "pending",
      approvals: 1,
      required: 2,
    });
    await advanceRun(approval.runId, deps);
    expect(await refundsOf(order)).toHaveLength(0);
    expect(await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({
      policyVersion: v,
      requiredApprovals: 2,
    });
    expect((await decide("second", approval.id, { decision: "approve" })).body).toMatchObject({
      status: "approved",
      approvals: 2,
    });
    await advanceRun(approval.runId, deps);
    expect(await refundsOf(order)).toHaveLength(1);
  });
});
