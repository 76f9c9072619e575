// Hermetic replay: a recorded run (routing, a rate-limited read that was retried, a parked
// refund a reviewer decided, a write that failed once and was retried) replays from its
// recording with no divergence and touches nothing real; an engine whose behaviour changed is
// caught and the divergence named; a re-run against another settings version never writes.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { setFault } from "@/agents/demo-shop/faults";
import { defaultSettings, saveSettings } from "@/lib/agent-settings/settings";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { recordedAnswers } from "@/lib/replay/recorded";
import { replayRun } from "@/lib/replay/replay";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

// The injected engine change: a tool policy that lets refunds run on their own, switched on per test.
const engine = vi.hoisted(() => ({ refundsWithoutApproval: false }));
vi.mock("@/lib/policy/call-policy", async (original) => {
  const real = await original<typeof import("@/lib/policy/call-policy")>();
  return {
    ...real,
    decidePolicy: (input: Parameters<typeof real.decidePolicy>[0]) =>
      engine.refundsWithoutApproval && input.tool.name === "issue_refund"
        ? { mode: "auto" as const, reasons: [] }
        : real.decidePolicy(input),
  };
});

const deps = { model: new OfflineDemoModel(), workerId: "replay-test-worker" };

afterEach(() => {
  engine.refundsWithoutApproval = false;
});
afterAll(async () => {
  await stopBoss();
});

/** A finished run of the refunds agent with a retried read, a decision and (approved) a retried write. */
async function recordedRun(decision: "approve" | "reject" | "edit") {
  const orderId = await freshOrder(4200);
  const user = await actorFor("user@example.com");
  await setFault(db, { operation: "lookup_order", mode: "rate_limited", remaining: 1 });
  const { runId } = await startTurn(user, {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  await advanceRun(runId, deps);
  const approval = await db.approval.findFirstOrThrow({ where: { runId } });
  const reviewer = await actorFor("reviewer@example.com");
  if (decision === "reject")
    await decideApproval(reviewer, {
      decision: "reject",
      approvalId: approval.id,
      reason: "Photos show no damage",
    });
  else {
    await setFault(db, { operation: "issue_refund", mode: "upstream_error", remaining: 1 });
    if (decision === "edit")
      await decideApproval(reviewer, {
        decision: "edit",
        approvalId: approval.id,
        arguments: { order_id: orderId, amount_cents: 1000, reason: "Partial refund agreed" },
        reason: "partial",
      });
    else await decideApproval(reviewer, { decision: "approve", approvalId: approval.id });
  }
  await advanceRun(runId, deps);
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { toolCalls: true, events: true },
  });
  expect(run.status).toBe("completed");
  return { runId, orderId, run };
}

async function effects(orderId: number) {
  const [refunds, emails, approvals, messages, followUps] = await Promise.all([
    db.refund.count({ where: { orderId } }),
    db.outboundEmail.count(),
    db.approval.count(),
    db.message.count(),
    db.followUp.count(),
  ]);
  return { refunds, emails, approvals, messages, followUps };
}

describe("hermetic replay", () => {
  it("reproduces a run with a retried read, an approval and a retried write, with no divergence and no effect", async () => {
    const { runId, orderId, run } = await recordedRun("approve");
    // The recording holds what replay needs: retries in the trace, every raw model answer.
    expect(run.events.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        "lookup_order · rate_limited, retrying",
        "issue_refund · upstream_error, retrying",
        "issue_refund · succeeded",
      ]),
    );
    const answers = await recordedAnswers(runId);
    expect(answers.map((a) => [a.purpose, a.answer !== null])).toEqual([
      ["router", true],
      ["executor", true],
      ["executor", true],
      ["executor", true],
    ]);
    const before = await effects(orderId);
    expect(before.refunds).toBe(1);

    const report = await replayRun(runId);
    expect(report.divergences).toEqual([]);
    expect(report.status).toBe("completed");

    // Nothing real moved: no second refund, no message to the customer, nothing parked, no follow-up.
    expect(await effects(orderId)).toEqual(before);
    const scratch = await db.run.findUniqueOrThrow({
      where: { id: report.scratchRunId },
      include: { toolCalls: true },
    });
    expect(scratch).toMatchObject({ mode: "replay", sourceRunId: runId });
    expect(scratch.toolCalls.map((c) => [c.tool, c.status, c.attempts])).toEqual(
      run.toolCalls.map((c) => [c.tool, c.status, c.attempts]),
    );
    const said = await db.scratchMessage.findFirstOrThrow({
      where: { runId: scratch.id },
      orderBy: { createdAt: "desc" },
    });
    expect(said.text).toMatch(new RegExp(`refunded for order ${orderId}`));
    expect(await db.scratchRun.findUniqueOrThrow({ where: { runId: scratch.id } })).toMatchObject({
      kind: "replay",
      divergences: [],
    });
  });

  it("reproduces a rejected call and an edited one, serving the reviewer's reason and arguments", async () => {
    for (const decision of ["reject", "edit"] as const) {
      const { runId, orderId } = await recordedRun(decision);
      const before = await effects(orderId);
      const report = await replayRun(runId);
      expect(report.divergences, decision).toEqual([]);
      expect(await effects(orderId)).toEqual(before);
    }
  });

  it("names the divergence when the engine's tool policy changed", async () => {
    const { runId, orderId } = await recordedRun("approve");
    const before = await effects(orderId);
    engine.refundsWithoutApproval = true;
    const report = await replayRun(runId);
    expect(report.divergences[0]).toMatchObject({
      recorded: "policy · needs approval · issue_refund",
      replayed: "policy · auto · issue_refund",
    });
    expect(await effects(orderId)).toEqual(before);
  });

  it("refuses a run still in flight, an unknown run and a scratch run, by the field", async () => {
    await expect(replayRun("00000000-0000-4000-8000-000000000000")).rejects.toThrow(
      /runId: no such run/,
    );
    const { runId } = await recordedRun("approve");
    const { scratchRunId } = await replayRun(runId);
    await expect(replayRun(scratchRunId)).rejects.toThrow(/runId: a scratch run/);
  });
});

describe("re-run against another settings version", () => {
  it("serves matching reads from the recording and never executes a write", async () => {
    const admin = await actorFor("admin@example.com");
    const { runId, orderId } = await recordedRun("approve");
    const defaults = defaultSettings("refunds");
    // A candidate: saved, not active, so live runs elsewhere keep the active version.
    const candidate = await saveSettings(
      admin,
      {
        agent: "refunds",
        settings: { ...defaults, maxIterations: 7 },
        reason: "test: a candidate for the re-run",
      },
      undefined,
      { activate: false },
    );
    expect(candidate.active).toBe(false);
    {
      const before = await effects(orderId);
      const report = await replayRun(runId, { version: candidate.version });
      expect(report.kind).toBe("rerun");
      const scratch = await db.run.findUniqueOrThrow({
        where: { id: report.scratchRunId },
        include: { toolCalls: true, events: true },
      });
      expect(scratch.agentVersion).toBe(candidate.version);
      const refund = scratch.toolCalls.find((c) => c.tool === "issue_refund")!;
      expect(refund.status).toBe("refused");
      expect(scratch.events.map((e) => e.name)).toContain(
        `would call issue_refund(${JSON.stringify(refund.arguments)})`,
      );
      // The recorded run refunded after a reviewer's approval; the re-run proposes and stops at "would call".
      expect(report.divergences.length).toBeGreaterThan(0);
      expect(await effects(orderId)).toEqual(before);
    }
  });
});
