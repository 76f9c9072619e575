// The simulation tells the truth about live traffic: calls proposed under a rule set, replayed by
// simulate.ts through that same rule set, come to the same counts — auto-run, waiting, denied,
// needing two people, per team — as what the live rules did to them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { simulatePolicy, type Tally } from "@/lib/policy/simulate";
import { activePolicy } from "@/lib/policy/versions";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";
import { clearPolicy, savePolicyRules, TWO_ABOVE_100 } from "../support/policy";

const deps = { model: new OfflineDemoModel(), workerId: "policy-simulate-live" };
let admin: Actor;

const RULES = [
  TWO_ABOVE_100,
  {
    id: "no-gift-cards",
    name: "Gift card refunds go to payments",
    tools: ["issue_refund"],
    when: [{ argument: "reason", op: "matches", value: "gift card" }],
    effect: { deny: "Refunds for gift cards are handled by our payments team." },
  },
  {
    id: "big-orders-risk",
    name: "Refunds on big orders go to risk",
    tools: ["issue_refund"],
    when: [{ fact: "order_total_cents", op: "gte", value: 20000 }],
    effect: { team: "risk" },
  },
  {
    id: "lookups-of-big-orders-wait",
    name: "Looking up a big order waits",
    tools: ["lookup_order"],
    when: [{ fact: "order_total_cents", op: "gte", value: 50000 }],
    effect: { approval: true },
  },
];

beforeAll(async () => {
  admin = await actorFor("admin@example.com");
});
afterAll(async () => {
  await clearPolicy(admin);
  await stopBoss();
});

/** What the live rules did to each call since `since`, counted as the simulation counts. */
async function liveTally(since: Date): Promise<Tally> {
  const calls = await db.toolCall.findMany({
    where: { createdAt: { gte: since }, run: { mode: "live" } },
    include: { approval: true },
  });
  const tally: Tally = { calls: 0, auto: 0, waits: 0, denied: 0, needTwoOrMore: 0, byTeam: {} };
  for (const call of calls) {
    tally.calls++;
    if (call.status === "refused") tally.denied++;
    else if (call.approval) {
      tally.waits++;
      if (call.approval.requiredApprovals >= 2) tally.needTwoOrMore++;
      if (call.approval.team)
        tally.byTeam[call.approval.team] = (tally.byTeam[call.approval.team] ?? 0) + 1;
    } else tally.auto++;
  }
  return tally;
}

describe("simulation against live", () => {
  it("counts what the live rules did to the same calls", async () => {
    await savePolicyRules(admin, RULES);
    const since = new Date();
    const grace = await actorFor("user2@example.com");
    const asks: Array<[number, string]> = [
      [3000, "arrived broken, I want my money back"],
      [15000, "arrived broken, I want my money back"],
      [25000, "arrived broken, I want my money back"],
      [60000, "arrived broken, I want my money back"],
      [2000, "was a gift card that arrived broken, I want my money back"],
      [4000, "where is it?"],
      [60000, "where is it?"],
    ];
    for (const [cents, words] of asks) {
      const order = await freshOrder(cents, "cus_grace");
      const { runId } = await startTurn(grace, { text: `Order ${order} ${words}` });
      await advanceRun(runId, deps);
    }
    const live = await liveTally(since);
    // The set is varied enough to mean something: each kind of verdict happened live.
    expect(live.auto).toBeGreaterThan(0);
    expect(live.denied).toBeGreaterThan(0);
    expect(live.needTwoOrMore).toBeGreaterThan(0);
    expect(live.byTeam.risk).toBeGreaterThan(0);

    const report = await simulatePolicy({
      document: (await activePolicy()).document,
      days: 1,
      since,
    });
    const { version: _, ...current } = report.current;
    expect(current).toEqual(live);
    expect(report.draft).toEqual(live);
    expect(report.changed.total).toBe(0);
  });
});
