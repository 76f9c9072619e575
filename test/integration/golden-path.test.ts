import { afterAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const deps = { model: new OfflineDemoModel(), workerId: "test-worker" };

afterAll(async () => {
  await stopBoss();
});

async function parkedRefund(text: string) {
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, { text });
  await advanceRun(runId, deps);
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { approvals: true, toolCalls: true },
  });
  return { run, approval: run.approvals[0]! };
}

describe("golden path on the offline model", () => {
  it("parks the refund, then executes it exactly once after approval", async () => {
    const { run, approval } = await parkedRefund("Order 1042 arrived broken, I want my money back");
    expect(run.status).toBe("awaiting_approval");
    expect(run.agent).toBe("refunds");
    expect(run.toolCalls.map((c) => [c.tool, c.status])).toEqual(
      expect.arrayContaining([
        ["lookup_order", "succeeded"],
        ["issue_refund", "pending_approval"],
      ]),
    );
    expect(approval.reasons).toContain("irreversible");
    expect(await db.refund.count({ where: { orderId: 1042 } })).toBe(0);

    const reviewer = await actorFor("reviewer@example.com");
    const outcome = await decideApproval(reviewer, {
      decision: "approve",
      approvalId: approval.id,
      expectedHash: approval.proposedHash,
    });
    expect(outcome).toMatchObject({ status: "approved", runResumed: true });
    await advanceRun(run.id, deps);
    await advanceRun(run.id, deps);

    const done = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(done.status).toBe("completed");
    const refunds = await db.refund.findMany({ where: { orderId: 1042 } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.amountCents).toBe(8990);
    const last = await db.message.findFirstOrThrow({
      where: { runId: run.id, author: "assistant" },
      orderBy: { createdAt: "desc" },
    });
    expect(last.text).toMatch(/refunded for order 1042/);

    await expect(
      decideApproval(reviewer, { decision: "reject", approvalId: approval.id, reason: "too late" }),
    ).rejects.toThrow(/^Riley Reviewer approved it \d+ s ago; nothing else was decided\.$/);
  });

  it("tells the user honestly when the reviewer rejects, and refunds nothing", async () => {
    const { run, approval } = await parkedRefund("Order 1044 is damaged, refund please");
    const reviewer = await actorFor("reviewer2@example.com");
    await decideApproval(reviewer, {
      decision: "reject",
      approvalId: approval.id,
      reason: "Photos show no damage",
    });
    await advanceRun(run.id, deps);
    const done = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(done.status).toBe("completed");
    expect(await db.refund.count({ where: { orderId: 1044 } })).toBe(0);
    // The reviewer's reason reaches the customer word for word, told by the product itself.
    const told = (
      await db.message.findMany({
        where: { runId: run.id, author: "assistant" },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      })
    ).map((m) => m.text);
    expect(told.slice(1)).toEqual([
      "Our team did not approve a refund of €159.00 for order 1044. Their reason: “Photos show no damage”. Nothing has been done.",
      "If you have more details, for example a photo of the damage, send them here and I'll look again.",
    ]);
  });

  it("refuses a decision from the user who made the request", async () => {
    const { run, approval } = await parkedRefund(
      `Order ${await freshOrder(1500)} never arrived, refund it`,
    );
    expect(run.status).toBe("awaiting_approval");
    const user = await actorFor("user@example.com");
    await expect(
      decideApproval(user, { decision: "approve", approvalId: approval.id }),
    ).rejects.toThrow(/yourself/);
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "pending",
    );
  });
});
