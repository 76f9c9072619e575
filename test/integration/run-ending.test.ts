import { afterAll, describe, expect, it } from "vitest";
import { chainAllPendingAudit } from "@/lib/audit/chainer";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { endRun } from "@/lib/runtime/endings";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

afterAll(async () => {
  await stopBoss();
});

describe("a run that ends while an item waits", () => {
  it("expires the item with a trace and audit entry, and refuses later decisions", async () => {
    const user = await actorFor("user@example.com");
    const { runId } = await startTurn(user, {
      text: `Order ${await freshOrder(2600)} arrived broken, I want my money back`,
    });
    await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "ending" });
    const approval = await db.approval.findFirstOrThrow({ where: { runId } });
    expect(approval.status).toBe("pending");

    await endRun(runId, "terminated", "stuck: test");

    const closed = await db.approval.findUniqueOrThrow({
      where: { id: approval.id },
      include: { toolCall: true },
    });
    expect(closed).toMatchObject({
      status: "expired",
      decisionReason: "the run ended before a decision",
    });
    expect(closed.toolCall.status).toBe("expired");
    expect(
      await db.traceEvent.count({
        where: { runId, kind: "decision", name: "expired: the run ended before a decision" },
      }),
    ).toBe(1);
    await chainAllPendingAudit(); // the appender links what the ending wrote
    const audit = await db.auditEntry.findFirstOrThrow({ where: { approvalId: approval.id } });
    expect(audit).toMatchObject({ action: "expired", actorEmail: "system" });
    expect(audit.payload).toMatchObject({
      tool: "issue_refund",
      reason: "the run ended before a decision",
    });

    const reviewer = await actorFor("reviewer@example.com");
    await expect(
      decideApproval(reviewer, { decision: "approve", approvalId: approval.id }),
    ).rejects.toThrow(/expired/);
    expect(
      await db.refund.count({ where: { idempotencyKey: closed.toolCall.idempotencyKey } }),
    ).toBe(0);
  });
});
