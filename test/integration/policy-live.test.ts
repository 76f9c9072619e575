// The rules in force act on the calls runs propose: a refund over €100 waits for two people and
// its item says which rule of which version put it there, in words; a version saved later does not
// change what an item parked earlier waits for; a denying rule refuses the call (nothing runs, the
// trace names the rule); a rule on a fact the agent supplies holds with the agent's facts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";
import { clearPolicy, savePolicyRules, TWO_ABOVE_100 } from "../support/policy";

const deps = { model: new OfflineDemoModel(), workerId: "policy-live" };
let admin: Actor;

beforeAll(async () => {
  admin = await actorFor("admin@example.com");
});
afterAll(async () => {
  await clearPolicy(admin);
  await stopBoss();
});

async function askRefund(totalCents: number, words = "arrived broken, I want my money back") {
  const order = await freshOrder(totalCents, "cus_grace");
  const { runId } = await startTurn(await actorFor("user2@example.com"), {
    text: `Order ${order} ${words}`,
  });
  await advanceRun(runId, deps);
  const call = await db.toolCall.findFirstOrThrow({
    where: { runId, tool: "issue_refund" },
    include: { approval: true },
  });
  return { runId, order, call, approval: call.approval };
}

describe("live rules", () => {
  it("parks a refund over €100 for two people, says which rule of which version, and keeps it after the next version", async () => {
    const v = await savePolicyRules(admin, [TWO_ABOVE_100]);
    const { approval } = await askRefund(15000);
    expect(approval).toMatchObject({ status: "pending", requiredApprovals: 2, policyVersion: v });
    expect(approval!.policyRules).toEqual([
      { id: "two-above-100", name: TWO_ABOVE_100.name, because: "amount_cents 15000 > 10000" },
    ]);
    expect(approval!.reasons).toContain(
      `Waiting because rule 'Refunds over €100 need two people' (policy v${v}) matched: amount_cents 15000 > 10000`,
    );

    // v+1 drops the rule: a refund asked now needs one person, the one parked under v still two.
    const next = await savePolicyRules(admin, []);
    expect(next).toBe(v + 1);
    const later = await askRefund(15000);
    expect(later.approval).toMatchObject({ requiredApprovals: 1, policyVersion: null });
    expect(await db.approval.findUniqueOrThrow({ where: { id: approval!.id } })).toMatchObject({
      requiredApprovals: 2,
      policyVersion: v,
    });
  });

  it("a refund under the bound is not touched by the rule", async () => {
    await savePolicyRules(admin, [TWO_ABOVE_100]);
    const { approval } = await askRefund(4000);
    expect(approval).toMatchObject({ requiredApprovals: 1, policyRules: [] });
    expect(approval!.reasons).not.toEqual(expect.arrayContaining([expect.stringMatching(/rule/)]));
  });

  it("a denying rule refuses the call: nothing runs, the trace names the rule, no one is asked", async () => {
    await savePolicyRules(admin, [
      {
        id: "no-gift-cards",
        name: "Gift card refunds go to payments",
        tools: ["issue_refund"],
        when: [{ argument: "reason", op: "matches", value: "gift card" }],
        effect: {
          deny: "Refunds for gift cards are handled by our payments team; they will contact you.",
        },
      },
    ]);
    const { runId, order, call, approval } = await askRefund(
      2000,
      "was a gift card that arrived broken, I want my money back",
    );
    expect(call.status).toBe("refused");
    expect(call.error).toMatchObject({
      kind: "forbidden",
      message: "Refunds for gift cards are handled by our payments team; they will contact you.",
    });
    // The customer is told in the rule's own words, by the product.
    const told = await db.message.findMany({ where: { runId, author: "assistant" } });
    expect(told.map((m) => m.text)).toContain(
      "Refunds for gift cards are handled by our payments team; they will contact you.",
    );
    expect(approval).toBeNull();
    expect(await db.refund.count({ where: { orderId: order } })).toBe(0);
    const events = await db.traceEvent.findMany({
      where: { runId, toolCallId: call.id, kind: "policy" },
    });
    expect(events.map((e) => e.name)).toContain(
      `policy v${(await db.policyVersion.findFirstOrThrow({ orderBy: { version: "desc" } })).version}: Gift card refunds go to payments`,
    );
  });

  it("a rule on a fact the agent supplies holds with the agent's facts, and routes to a team with a time to decide", async () => {
    await savePolicyRules(admin, [
      {
        id: "big-orders-risk",
        name: "Refunds on big orders go to risk",
        tools: ["issue_refund"],
        when: [{ fact: "order_total_cents", op: "gte", value: 20000 }],
        effect: { team: "risk", decideWithinSeconds: 3600, onExpiry: "escalate" },
      },
    ]);
    const before = Date.now();
    const { approval } = await askRefund(25000);
    expect(approval).toMatchObject({ team: "risk", onExpiry: "escalate", requiredApprovals: 1 });
    expect(approval!.reasonCodes).toContain("policy_rule");
    expect(approval!.dueAt!.getTime()).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
    // "Escalate": still open after its due time, so the escalation comes before any expiry.
    expect(approval!.expiresAt.getTime()).toBeGreaterThan(approval!.dueAt!.getTime());
    expect(approval!.policyRules).toEqual([
      {
        id: "big-orders-risk",
        name: "Refunds on big orders go to risk",
        because: "order_total_cents 25000 ≥ 20000",
      },
    ]);
  });
});
