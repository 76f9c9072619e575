// "Approve calls like this automatically": a reviewer's grant lets exactly its scope through — the
// same tool, the same customer, arguments within bounds, within its time and uses, never a call
// the run made look odd, never a tool an admin turned grants off for — as an approval by that
// reviewer with the grant's id, said in the trace; revocation takes effect at once.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { issueApiToken, TOKEN_SCOPES } from "@/lib/auth/tokens";
import { createGrant, revokeGrant } from "@/lib/policy/grant-store";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";
import { signedIn } from "../support/signed-in";
import { clearPolicy, savePolicyRules, TWO_ABOVE_100 } from "../support/policy";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const { decide } = await import("@/lib/approvals/actions");
const grantsRoute = await import("@/app/api/v1/grants/route");
const revokeRoute = await import("@/app/api/v1/grants/[id]/revoke/route");

const deps = { model: new OfflineDemoModel(), workerId: "grants-live" };
let admin: Actor;
let reviewer: Actor;
let grace: Actor;
let ada: Actor;

beforeAll(async () => {
  admin = await actorFor("admin@example.com");
  reviewer = await actorFor("reviewer@example.com");
  grace = await actorFor("user2@example.com");
  ada = await actorFor("user@example.com");
  await clearPolicy(admin);
});
afterAll(async () => {
  signedIn.actor = null;
  await db.approvalGrant.updateMany({
    where: { revokedAt: null },
    data: { revokedAt: new Date(), revokedByEmail: "tests" },
  });
  await clearPolicy(admin);
  await stopBoss();
});

async function refund(
  customer: Actor,
  cents: number,
  words = "arrived broken, I want my money back",
) {
  const order = await freshOrder(cents, customer.email === ada.email ? "cus_ada" : "cus_grace");
  const { runId } = await startTurn(customer, { text: `Order ${order} ${words}` });
  await advanceRun(runId, deps);
  const call = await db.toolCall.findFirstOrThrow({
    where: { runId, tool: "issue_refund" },
    include: { approval: true },
  });
  return {
    runId,
    order,
    call,
    approval: call.approval!,
    refunds: await db.refund.count({ where: { orderId: order } }),
  };
}

async function grantFor(
  customer: Actor,
  bounds: Record<string, unknown>,
  extra: { uses?: number; minutes?: number } = {},
) {
  return createGrant(
    reviewer,
    {
      approvalId: randomUUID(),
      agent: "refunds",
      tool: "issue_refund",
      subjectId: customer.id,
      reasonCodes: ["irreversible"],
      requiredApprovals: 1,
      approvedArguments: { amount_cents: 5000 },
    },
    { minutes: extra.minutes ?? 60, uses: extra.uses ?? 5, bounds: bounds as never },
  );
}

describe("grants at park time", () => {
  it("lets a covered call through as the grant's reviewer, once per use, and says so", async () => {
    const grant = await grantFor(grace, { amount_cents: { lte: 5000 } }, { uses: 1 });
    const let_ = await refund(grace, 3000);
    expect(let_.approval).toMatchObject({
      status: "approved",
      grantId: grant.id,
      decidedById: reviewer.id,
    });
    expect(let_.refunds).toBe(1);
    const events = await db.traceEvent.findMany({ where: { runId: let_.runId, kind: "decision" } });
    expect(events.map((e) => e.name)).toContain(
      `approved by ${reviewer.email} through their standing permission (grant ${grant.id})`,
    );
    expect((await db.approvalGrant.findUniqueOrThrow({ where: { id: grant.id } })).usesLeft).toBe(
      0,
    );
    const { runDetail } = await import("@/lib/runs/queries");
    expect(
      (await runDetail(let_.runId))!.toolCalls.find((c) => c.tool === "issue_refund")!.approval,
    ).toMatchObject({ status: "approved", grantId: grant.id });
    // Its one use is spent: the next call waits.
    const next = await refund(grace, 3000);
    expect(next.approval).toMatchObject({ status: "pending", grantId: null });
    expect(next.refunds).toBe(0);
  });

  it("covers nothing outside its scope: above its bounds, another customer, an odd run, after it expires", async () => {
    await grantFor(grace, { amount_cents: { lte: 5000 } });
    expect((await refund(grace, 6000)).approval).toMatchObject({
      status: "pending",
      grantId: null,
    });
    expect((await refund(ada, 3000)).approval).toMatchObject({ status: "pending", grantId: null });
    // A vague reason: the agent states low confidence, and a grant never stands in for that.
    expect((await refund(grace, 3000, "I want my money back please")).approval).toMatchObject({
      status: "pending",
      grantId: null,
    });
    await db.approvalGrant.updateMany({
      where: { subjectId: grace.id, revokedAt: null },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await refund(grace, 3000)).approval).toMatchObject({
      status: "pending",
      grantId: null,
    });
  });

  it("revocation takes effect at once, and an admin's switch turns grants off for a tool", async () => {
    const grant = await grantFor(grace, { amount_cents: { lte: 5000 } });
    await revokeGrant(reviewer, grant.id);
    expect((await refund(grace, 3000)).approval).toMatchObject({
      status: "pending",
      grantId: null,
    });

    const other = await grantFor(grace, { amount_cents: { lte: 5000 } });
    const current = await db.policyVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
    const { savePolicy } = await import("@/lib/policy/versions");
    await savePolicy(admin, {
      document: { rules: [], grantsOff: ["issue_refund"] },
      replaces: current.version,
      reason: "no grants for refunds",
    });
    expect((await refund(grace, 3000)).approval).toMatchObject({
      status: "pending",
      grantId: null,
    });
    expect((await db.approvalGrant.findUniqueOrThrow({ where: { id: other.id } })).usesLeft).toBe(
      5,
    );
    await clearPolicy(admin);
    await revokeGrant(admin, other.id);
  });

  it("a reviewer's approval with remember makes the grant (bounds from what they approved); four-eyes items cannot", async () => {
    const first = await refund(grace, 4000);
    expect(first.approval.status).toBe("pending");
    signedIn.actor = reviewer;
    const decided = await decide({
      decision: "approve",
      approvalId: first.approval.id,
      remember: { minutes: 30, uses: 2 },
    });
    expect(decided).toMatchObject({ ok: true, data: { status: "approved" } });
    const grantId = (decided as { data: { grantId: string } }).data.grantId;
    const grant = await db.approvalGrant.findUniqueOrThrow({ where: { id: grantId } });
    expect(grant).toMatchObject({
      subjectId: grace.id,
      tool: "issue_refund",
      usesLeft: 2,
      grantedById: reviewer.id,
    });
    expect(grant.bounds).toMatchObject({
      order_id: { eq: first.order },
      amount_cents: { lte: 4000 },
    });
    await revokeGrant(reviewer, grantId);

    await savePolicyRules(admin, [TWO_ABOVE_100]);
    const big = await refund(grace, 15000);
    const refused = await decide({
      decision: "approve",
      approvalId: big.approval.id,
      remember: { minutes: 30, uses: 2 },
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/several people/) },
    });
    expect(await db.approvalVote.count({ where: { approvalId: big.approval.id } })).toBe(0);
    await clearPolicy(admin);
  });

  it("are listed and revoked over HTTP: by their reviewer or an admin, not by another reviewer", async () => {
    const grant = await grantFor(grace, { amount_cents: { lte: 5000 } });
    const tokenOf = async (who: Actor) =>
      (await issueApiToken(who, { name: "grants", expiresInDays: 7, scopes: [...TOKEN_SCOPES] }))
        .token;
    const call = (handler: typeof revokeRoute.POST, token: string, url: string, id?: string) =>
      handler(new Request(url, { method: "POST", headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({ id: id ?? "" }),
      });
    const mine = await grantsRoute.GET(
      new Request("http://countersign.test/api/v1/grants", {
        headers: { authorization: `Bearer ${await tokenOf(reviewer)}` },
      }),
      {
        params: Promise.resolve({}),
      },
    );
    expect((await mine.json()).grants.map((g: { id: string }) => g.id)).toContain(grant.id);
    const other = await actorFor("reviewer2@example.com");
    const url = `http://countersign.test/api/v1/grants/${grant.id}/revoke`;
    expect((await call(revokeRoute.POST, await tokenOf(other), url, grant.id)).status).toBe(403);
    const revoked = await call(revokeRoute.POST, await tokenOf(reviewer), url, grant.id);
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).revokedBy).toBe(reviewer.email);
    expect((await call(revokeRoute.POST, await tokenOf(reviewer), url, "not-a-grant")).status).toBe(
      404,
    );
    expect((await refund(grace, 3000)).approval).toMatchObject({
      status: "pending",
      grantId: null,
    });
  });
});
