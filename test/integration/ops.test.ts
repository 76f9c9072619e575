// /ops over the seeded week: the figures agree with the rows behind them, the story the seed tells
// shows (the cost spike, the rubber-stamping reviewer, the light-policy candidates), and only
// reviewers and admins may read them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimApproval } from "@/lib/approvals/claims";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { stopBoss } from "@/lib/jobs/queue";
import { opsOverview, opsQuery } from "@/lib/ops/overview";
import { listRuns, runsQuery } from "@/lib/runs/queries";
import { seedWeekOfHistory } from "../../prisma/seed-week";
import { actorFor } from "../support/actors";

afterAll(async () => {
  await stopBoss();
});

const now = new Date();
// Up to two hours ago: the seeded week only, not the runs other test files start now.
const to = new Date(now.getTime() - 2 * 3_600_000);
const from = new Date(now.getTime() - 7 * 86_400_000 - 3_600_000);
const custom = { window: "custom", from: from.toISOString(), to: to.toISOString() };

beforeAll(async () => {
  await seedWeekOfHistory(db);
});

describe("/ops over the seeded week", () => {
  it("seeds once", async () => {
    expect(await seedWeekOfHistory(db)).toBe(false);
  });

  it("counts every run of an agent once, by its ending, as the database has them", async () => {
    const admin = await actorFor("admin@example.com");
    const ops = await opsOverview(admin, opsQuery.parse({ ...custom, agent: "refunds" }), now);
    const [expected] = await db.$queryRaw<
      { runs: number; failed: number; completed: number; cost: number }[]
    >`
      select count(*)::int as runs, (count(*) filter (where status = 'failed'))::int as failed,
        (count(*) filter (where status = 'completed'))::int as completed, sum(cost_micros)::float8 as cost
      from runs where agent = 'refunds' and created_at >= ${from}::timestamp(3) and created_at < ${to}::timestamp(3)`;
    const total = ops.agents.reduce((n, a) => n + a.runs, 0);
    expect(total).toBe(expected!.runs);
    expect(ops.agents.reduce((n, a) => n + (a.endings.failed ?? 0), 0)).toBe(expected!.failed);
    const completed = ops.agents.reduce(
      (n, a) =>
        n +
        (a.endings.completed_unaided ?? 0) +
        (a.endings.completed_after_human ?? 0) +
        (a.endings.escalated ?? 0),
      0,
    );
    expect(completed).toBe(expected!.completed);
    expect(ops.agents.reduce((n, a) => n + a.costMicros, 0)).toBeCloseTo(expected!.cost);
    // Two settings versions over the week, and the spike terminated runs on their cost budget.
    expect(ops.agents.map((a) => a.version).sort()).toEqual([1, 2]);
    expect(ops.agents.find((a) => a.version === 2)!.endings.terminated_cost_budget).toBeGreaterThan(
      0,
    );
    expect(ops.series.reduce((n, p) => n + p.runs, 0)).toBe(expected!.runs);
  });

  it("the cost spike is the costliest bucket, and drilling into it lists its runs", async () => {
    const admin = await actorFor("admin@example.com");
    const ops = await opsOverview(admin, opsQuery.parse({ ...custom, agent: "refunds" }), now);
    const peak = ops.series.reduce((a, b) => (b.costMicros > a.costMicros ? b : a));
    const spikeStart = now.getTime() - (2 * 86_400_000 + 3 * 3_600_000);
    expect(peak.at * 1000).toBeGreaterThanOrEqual(
      spikeStart - ops.scope.window.bucketSeconds * 1000,
    );
    expect(peak.at * 1000).toBeLessThanOrEqual(now.getTime() - 2 * 86_400_000);
    const drill = runsQuery.parse({
      agent: "refunds",
      from: new Date(peak.at * 1000).toISOString(),
      to: new Date((peak.at + ops.scope.window.bucketSeconds) * 1000).toISOString(),
      costAbove: "0.1",
      limit: "100",
    });
    const { items } = await listRuns(drill);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((r) => r.agent === "refunds" && r.costMicros > 100_000)).toBe(true);
  });

  it("flags the rubber-stamping reviewer and lists the light-policy candidates", async () => {
    const reviewer = await actorFor("reviewer@example.com");
    const ops = await opsOverview(reviewer, opsQuery.parse(custom), now);
    const quinn = ops.humans.reviewers.find((r) => r.email === "quinn@example.com")!;
    expect(quinn.flagged).toBe(true);
    expect(quinn.medianReviewSeconds).toBeLessThan(10);
    expect(ops.humans.reviewers.find((r) => r.email === "reviewer@example.com")!.flagged).toBe(
      false,
    );
    const candidates = ops.humans.lightPolicy.map((t) => `${t.tool}:${t.irreversible}`);
    expect(candidates).toContain("add_order_note:false");
    expect(candidates).toContain("send_password_reset:true");
    expect(candidates).not.toContain("issue_refund:true");
    expect(ops.approvals.find((a) => a.agent === "refunds")!.edited).toBeGreaterThan(0);
    expect(ops.slos.find((s) => s.agent === "refunds")!.finished).toBeGreaterThan(0);
    // Every demo agent asks a reviewer by design: its default SLO has no "without a human" and
    // does not count the reviewer's wait, so parked runs that finished in seconds of the agent's
    // own time are good runs, not an error budget overspent many times over.
    for (const slo of ops.slos.filter((s) => s.finished > 0)) {
      expect(slo.slo.withoutIntervention).toBe(false);
      expect(slo.attainment).toBeGreaterThan(0.9);
    }
    // Refunds park 90% of their runs: with the wait counted and "without a human", the issue saw
    // "Error budget left −1740%" on a fresh demo.
    const refunds = ops.slos.find((s) => s.agent === "refunds")!;
    expect(refunds.met).toBe(true);
    expect(refunds.budgetLeft).toBeGreaterThan(0);
    // No cache events in the seeded week: the rate is unknown, not zero.
    expect(ops.cacheHitRate).toBeNull();
  });

  it("is for reviewers and admins only", async () => {
    const customer = await actorFor("user@example.com");
    await expect(opsOverview(customer, opsQuery.parse({}))).rejects.toBeInstanceOf(AppError);
  });

  it("refuses a bad window or filter, naming the field", () => {
    expect(opsQuery.safeParse({ window: "fortnight" }).error?.issues[0]?.path).toEqual(["window"]);
    expect(opsQuery.safeParse({ version: "two" }).error?.issues[0]?.path).toEqual(["version"]);
    expect(runsQuery.safeParse({ costAbove: "lots" }).error?.issues[0]?.path).toEqual([
      "costAbove",
    ]);
    expect(runsQuery.safeParse({ ending: "exploded" }).error?.issues[0]?.path).toEqual(["ending"]);
  });

  it("records when a reviewer first opens a pending item, and only the first time", async () => {
    const user = await actorFor("user@example.com");
    const conversation = await db.conversation.create({ data: { userId: user.id } });
    const run = await db.run.create({
      data: {
        conversationId: conversation.id,
        userId: user.id,
        request: "opens fixture",
        modelProvider: "offline-demo",
        deadlineAt: new Date(Date.now() + 3_600_000),
        status: "awaiting_approval",
        agent: "refunds",
      },
    });
    const call = await db.toolCall.create({
      data: {
        runId: run.id,
        toolUseId: "toolu_opens",
        turn: 1,
        tool: "issue_refund",
        irreversible: true,
        arguments: {},
        argsHash: "h",
        status: "pending_approval",
        idempotencyKey: `opens-${run.id}`,
      },
    });
    const item = await db.approval.create({
      data: {
        toolCallId: call.id,
        runId: run.id,
        agent: "refunds",
        tool: "issue_refund",
        reasons: [],
        proposedArguments: {},
        proposedHash: "h",
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const robin = await actorFor("reviewer2@example.com");
    await claimApproval(robin, item.id);
    const first = await db.approvalOpen.findUniqueOrThrow({
      where: { approvalId_userId: { approvalId: item.id, userId: robin.id } },
    });
    await claimApproval(robin, item.id);
    const again = await db.approvalOpen.findUniqueOrThrow({
      where: { approvalId_userId: { approvalId: item.id, userId: robin.id } },
    });
    expect(again.openedAt).toEqual(first.openedAt);
    await db.approval.update({ where: { id: item.id }, data: { status: "rejected" } });
    await db.run.update({ where: { id: run.id }, data: { status: "cancelled" } });
  });
});
