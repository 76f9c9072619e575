// Expiry: past its time to live a parked call expires — not a rejection — the run is told, the
// user gets an honest answer, and a late decision is refused with a clear conflict.
import { afterAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { chainAllPendingAudit } from "@/lib/audit/chainer";
import { expireDueApprovals, startApprovalMaintenance } from "@/lib/approvals/expire";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { boss, stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const deps = { model: new OfflineDemoModel(), workerId: "expiry-worker" };

afterAll(async () => {
  await stopBoss();
});

async function parkedRefund(totalCents = 3900) {
  const orderId = await freshOrder(totalCents);
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  await advanceRun(runId, deps);
  const approval = await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
  expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe(
    "awaiting_approval",
  );
  return { runId, orderId, approval };
}

const pastDue = (approvalId: string, msAgo = 1000) =>
  db.approval.update({
    where: { id: approvalId },
    data: { expiresAt: new Date(Date.now() - msAgo) },
  });

/** Everything the run told the customer, in order. */
async function assistantTexts(runId: string) {
  return (
    await db.message.findMany({
      where: { runId, author: "assistant" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    })
  ).map((m) => m.text);
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("approval expiry", () => {
  it("expires a parked call past its time to live, resumes the run and tells the user honestly", async () => {
    const { runId, orderId, approval } = await parkedRefund();
    const { expiresAt } = await pastDue(approval.id);

    expect(await expireDueApprovals()).toBeGreaterThanOrEqual(1);

    const after = await db.approval.findUniqueOrThrow({
      where: { id: approval.id },
      include: { toolCall: true },
    });
    expect(after.status).toBe("expired");
    expect(after.decidedById).toBeNull();
    expect(after.decisionReason).toBeNull();
    expect(after.toolCall.status).toBe("expired");
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("running");

    const trace = await db.traceEvent.findMany({
      where: { toolCallId: approval.toolCallId },
      orderBy: { seq: "asc" },
    });
    expect(trace.map((e) => e.name)).toEqual(
      expect.arrayContaining(["issue_refund → expired", "expired: no reviewer decided in time"]),
    );
    await chainAllPendingAudit();
    const audit = await db.auditEntry.findFirstOrThrow({ where: { approvalId: approval.id } });
    expect(audit).toMatchObject({
      action: "expired",
      actorEmail: "system",
      runId,
      payload: { tool: "issue_refund", expiresAt: expiresAt.toISOString() },
    });

    await advanceRun(runId, deps);
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");
    // The product says what expired, in the customer's words; the agent adds what next.
    expect((await assistantTexts(runId)).slice(-2)).toEqual([
      `Nobody from our team could confirm a refund of €39.00 for order ${orderId} in time, so nothing has been done. A member of our team will follow up here.`,
      "If you still want the refund, ask again here.",
    ]);
    expect(await db.refund.count({ where: { orderId } })).toBe(0);

    const late = await rejection(
      decideApproval(await actorFor("reviewer@example.com"), {
        decision: "approve",
        approvalId: approval.id,
      }),
    );
    expect(late.code).toBe("conflict");
    expect(late.message).toMatch(/^This item expired \d+ s ago; nothing was decided\.$/);
    expect(late.details).toEqual({ status: "expired", expiredAt: expiresAt.toISOString() });
  });

  it("refuses a decision once the time to live has passed, even before the maintenance pass", async () => {
    const { approval } = await parkedRefund();
    const { expiresAt } = await pastDue(approval.id, 50);
    const reviewer = await actorFor("reviewer2@example.com");
    for (const input of [
      { decision: "approve", approvalId: approval.id },
      { decision: "reject", approvalId: approval.id, reason: "Too late anyway" },
    ] as const) {
      const error = await rejection(decideApproval(reviewer, input));
      expect(error.message).toMatch(/^This item expired \d+ s ago; nothing was decided\.$/);
      expect(error.details).toEqual({ status: "expired", expiredAt: expiresAt.toISOString() });
    }
    const still = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(still.status).toBe("pending");
    await chainAllPendingAudit();
    expect(await db.auditEntry.count({ where: { approvalId: approval.id } })).toBe(0);

    await expireDueApprovals();
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "expired",
    );
  });

  it("leaves decided and not-yet-due items alone", async () => {
    const decided = await parkedRefund();
    const waiting = await parkedRefund();
    await decideApproval(await actorFor("reviewer@example.com"), {
      decision: "approve",
      approvalId: decided.approval.id,
    });
    await pastDue(decided.approval.id);

    await expireDueApprovals();

    const [d, w] = await Promise.all(
      [decided, waiting].map((p) =>
        db.approval.findUniqueOrThrow({
          where: { id: p.approval.id },
          include: { toolCall: true },
        }),
      ),
    );
    expect([d!.status, d!.toolCall.status]).toEqual(["approved", "approved"]);
    expect([w!.status, w!.toolCall.status]).toEqual(["pending", "pending_approval"]);
    await chainAllPendingAudit();
    expect(
      await db.auditEntry.findMany({
        where: { approvalId: { in: [decided.approval.id, waiting.approval.id] } },
        select: { action: true },
      }),
    ).toEqual([{ action: "approved" }]);
  });

  it("expires due items from the pg-boss maintenance job without being called", async () => {
    const { approval } = await parkedRefund();
    await pastDue(approval.id);
    await startApprovalMaintenance(await boss());
    await expect
      .poll(
        async () => (await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status,
        { timeout: 15_000, interval: 250 },
      )
      .toBe("expired");
  });
});
