// Shadow mode on live demo chats: a candidate version of the refunds agent runs beside sampled
// live runs. The shadow run exists, writes nothing to the shop, tells the customer nothing,
// parks nothing for reviewers, costs nothing against the live agent's budget, and the
// comparison lists how it differs from the live run.
import { afterAll, describe, expect, it } from "vitest";
import { defaultSettings, saveSettings } from "@/lib/agent-settings/settings";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { shadowComparisons } from "@/lib/shadow/compare";
import { putInShadow, stopShadow } from "@/lib/shadow/config";
import { startShadowIfSampled } from "@/lib/shadow/start";
import { agentSpentToday } from "@/lib/spend/usage";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const deps = { model: new OfflineDemoModel(), workerId: "shadow-test-worker" };

afterAll(async () => {
  await stopShadow(await actorFor("admin@example.com"), { agent: "refunds" });
  await stopBoss();
});

async function shopEffects() {
  const [refunds, emails, notes] = await Promise.all([
    db.refund.count(),
    db.outboundEmail.count(),
    db.orderNote.count(),
  ]);
  return { refunds, emails, notes };
}

describe("shadow mode", () => {
  it("runs the candidate beside sampled live chats without touching the shop, the customer or the reviewers", async () => {
    const admin = await actorFor("admin@example.com");
    // The candidate makes the agent ask a person before it even looks an order up.
    const defaults = defaultSettings("refunds");
    const candidate = await saveSettings(
      admin,
      {
        agent: "refunds",
        settings: {
          ...defaults,
          toolPolicies: { ...defaults.toolPolicies, lookup_order: "require_approval" },
        },
        reason: "test: shadow candidate",
      },
      undefined,
      { activate: false },
    );
    await expect(
      putInShadow(admin, { agent: "refunds", version: 999, sampleRate: 1 }),
    ).rejects.toThrow(/version: refunds has no settings version 999/);
    await putInShadow(admin, { agent: "refunds", version: candidate.version, sampleRate: 1 });
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { action: "shadow_started" },
      orderBy: { seq: "desc" },
    });
    expect(audit.actorEmail).toBe("admin@example.com");

    const user = await actorFor("user2@example.com");
    const orderId = await freshOrder(3100, "cus_grace");
    const before = await shopEffects();
    const approvalsBefore = await db.approval.count();
    const { runId } = await startTurn(user, {
      text: `Order ${orderId} arrived broken, please refund it`,
    });
    await advanceRun(runId, deps);

    const scratch = await db.scratchRun.findFirstOrThrow({
      where: { kind: "shadow", sourceRunId: runId },
    });
    expect(scratch).toMatchObject({ agent: "refunds", version: candidate.version });
    await advanceRun(scratch.runId, deps);
    const shadow = await db.run.findUniqueOrThrow({
      where: { id: scratch.runId },
      include: { toolCalls: true, events: true },
    });
    expect(shadow).toMatchObject({
      mode: "shadow",
      sourceRunId: runId,
      agent: "refunds",
      agentVersion: candidate.version,
    });
    expect(["completed", "terminated", "failed"]).toContain(shadow.status);
    expect(shadow.events.map((e) => e.name)).toContain(
      `would call lookup_order(${JSON.stringify({ order_id: orderId })})`,
    );

    // Only the live run parked its refund for a reviewer; the shadow run parked nothing and queued no follow-up.
    expect(await db.approval.count()).toBe(approvalsBefore + 1);
    expect(await db.approval.count({ where: { runId: shadow.id } })).toBe(0);
    expect(await db.followUp.count({ where: { runId: shadow.id } })).toBe(0);
    // The customer's thread has the live answer only.
    const thread = await db.message.findMany({
      where: { conversationId: shadow.conversationId, createdAt: { gte: shadow.createdAt } },
    });
    expect(thread.every((m) => m.runId !== shadow.id)).toBe(true);
    expect(await db.scratchMessage.count({ where: { runId: shadow.id } })).toBeGreaterThan(0);

    // The live run goes on to refund once; the shadow run changed nothing in the shop.
    const approval = await db.approval.findFirstOrThrow({ where: { runId } });
    await decideApproval(await actorFor("reviewer@example.com"), {
      decision: "approve",
      approvalId: approval.id,
    });
    await advanceRun(runId, deps);
    expect(await shopEffects()).toEqual({ ...before, refunds: before.refunds + 1 });
    expect(await db.refund.count({ where: { orderId } })).toBe(1);

    // Cost is counted apart: the shadow run's spend is not the live agent's.
    const spent = await agentSpentToday("refunds");
    await db.traceEvent.updateMany({
      where: { runId: shadow.id, kind: "model_call" },
      data: { costMicros: 5_000 },
    });
    expect(await agentSpentToday("refunds")).toBe(spent);

    const [row] = (await shadowComparisons({ agent: "refunds" })).filter(
      (c) => c.shadowRunId === shadow.id,
    );
    expect(row).toMatchObject({
      sameIntent: true,
      sameIrreversibleCalls: false,
      sameAnswer: false,
      version: candidate.version,
    });
    expect(row!.live.irreversible).toEqual([expect.stringMatching(/^issue_refund\(/)]);
    expect(row!.shadow.irreversible).toEqual([]);
  });

  it("samples live runs at the configured rate", async () => {
    const admin = await actorFor("admin@example.com");
    const defaults = defaultSettings("refunds");
    const candidate = await saveSettings(
      admin,
      {
        agent: "refunds",
        settings: { ...defaults, maxIterations: 9 },
        reason: "test: sampled candidate",
      },
      undefined,
      { activate: false },
    );
    await putInShadow(admin, { agent: "refunds", version: candidate.version, sampleRate: 0.25 });
    const live = await db.run.findFirstOrThrow({ where: { mode: "live" } });
    const shadow = { version: candidate.version, sampleRate: 0.25 };
    expect(await startShadowIfSampled(live.id, "refunds", shadow, () => 0.25)).toBeNull();
    const sampled = await startShadowIfSampled(live.id, "refunds", shadow, () => 0.24);
    expect(await db.run.findUniqueOrThrow({ where: { id: sampled! } })).toMatchObject({
      mode: "shadow",
      sourceRunId: live.id,
      status: "queued",
    });
  });

  it("starts no shadow run when the agent has none, or after it is stopped", async () => {
    const admin = await actorFor("admin@example.com");
    await stopShadow(admin, { agent: "refunds" });
    const user = await actorFor("user2@example.com");
    const orderId = await freshOrder(1200, "cus_grace");
    const { runId } = await startTurn(user, { text: `What is the status of order ${orderId}?` });
    await advanceRun(runId, deps);
    expect(await db.scratchRun.count({ where: { sourceRunId: runId } })).toBe(0);
    expect(await db.auditEntry.count({ where: { action: "shadow_stopped" } })).toBeGreaterThan(0);
  });
});
