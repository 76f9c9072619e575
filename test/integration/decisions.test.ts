// Decisions on parked calls: one winner under concurrency, edits validated and recorded, a stale
// view refused, and a crashed execution recovered without a second refund.
import { afterAll, describe, expect, it } from "vitest";
import { decideApproval, type DecisionInput, type DecisionOutcome } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { stableHash } from "@/lib/idempotency/hash";
import { Shop } from "@/agents/demo-shop/service";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const model = new OfflineDemoModel();
const deps = (workerId = "decisions-worker") => ({ model, workerId });

afterAll(async () => {
  await stopBoss();
});

async function parkedRefund(totalCents = 5000) {
  const orderId = await freshOrder(totalCents);
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  expect(await advanceRun(runId, deps())).toBe("advanced");
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { approvals: true, toolCalls: true },
  });
  expect(run.status).toBe("awaiting_approval");
  expect(run.approvals).toHaveLength(1);
  const approval = run.approvals[0]!;
  expect(approval.tool).toBe("issue_refund");
  expect(approval.proposedArguments).toMatchObject({ order_id: orderId, amount_cents: totalCents });
  const call = run.toolCalls.find((c) => c.id === approval.toolCallId)!;
  expect(call.status).toBe("pending_approval");
  return { runId, orderId, approval, call };
}

function asAppError(reason: unknown): AppError {
  expect(reason).toBeInstanceOf(AppError);
  return reason as AppError;
}

async function lastAssistantText(runId: string) {
  const last = await db.message.findFirstOrThrow({
    where: { runId, author: "assistant" },
    orderBy: { createdAt: "desc" },
  });
  return last.text;
}

describe("concurrent decisions", () => {
  it("lets exactly one of 20 racing approve/reject decisions win, and advances to at most one refund", async () => {
    const { runId, orderId, approval, call } = await parkedRefund(5000);
    const [reviewer, reviewer2] = await Promise.all([
      actorFor("reviewer@example.com"),
      actorFor("reviewer2@example.com"),
    ]);

    const inputs: DecisionInput[] = Array.from({ length: 20 }, (_, i): DecisionInput =>
      i % 3 === 0
        ? { decision: "reject", approvalId: approval.id, reason: `Racing rejection number ${i}` }
        : {
            decision: "approve",
            approvalId: approval.id,
            ...(i % 2 === 0 && { expectedHash: approval.proposedHash }),
          },
    );
    const settled = await Promise.allSettled(
      inputs.map((input, i) => decideApproval(i % 2 === 0 ? reviewer : reviewer2, input)),
    );

    const winners = settled.filter(
      (s): s is PromiseFulfilledResult<DecisionOutcome> => s.status === "fulfilled",
    );
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.value;
    expect(winner.runResumed).toBe(true);
    const losers = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      const error = asAppError(loser.reason);
      expect(error.code).toBe("conflict");
      // Every loser names the one decision that stands: in words, and as facts in the details.
      const name =
        winner.decidedBy === "reviewer@example.com" ? "Riley Reviewer" : "Robin Reviewer";
      expect(error.message).toMatch(
        new RegExp(`^${name} ${winner.status} it \\d+ s ago; nothing else was decided\\.$`),
      );
      expect(error.details).toEqual({
        status: winner.status,
        decidedBy: winner.decidedBy,
        decidedByName: name,
        decidedAt: winner.decidedAt,
      });
    }

    const decided = await db.approval.findUniqueOrThrow({
      where: { id: approval.id },
      include: { decidedBy: true },
    });
    expect(decided.status).toBe(winner.status);
    expect(decided.decidedBy?.email).toBe(winner.decidedBy);
    expect(await db.traceEvent.count({ where: { toolCallId: call.id, kind: "decision" } })).toBe(1);
    expect((await db.toolCall.findUniqueOrThrow({ where: { id: call.id } })).status).toBe(
      winner.status,
    );
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("running");

    // Two workers race for the run; the lease lets one through, later advances find nothing to do.
    const outcomes = await Promise.all([
      advanceRun(runId, deps("worker-a")),
      advanceRun(runId, deps("worker-b")),
    ]);
    expect(outcomes.filter((o) => o === "advanced")).toHaveLength(1);
    expect(await advanceRun(runId, deps("worker-a"))).toBe("idle");
    expect(
      await Promise.all([advanceRun(runId, deps("worker-a")), advanceRun(runId, deps("worker-b"))]),
    ).toEqual(["idle", "idle"]);

    const done = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(done.status).toBe("completed");
    expect(done.leaseOwner).toBeNull();
    const refunds = await db.refund.findMany({ where: { orderId } });
    const finalCall = await db.toolCall.findUniqueOrThrow({ where: { id: call.id } });
    if (winner.status === "approved") {
      expect(refunds).toHaveLength(1);
      expect(refunds[0]!.amountCents).toBe(5000);
      expect(refunds[0]!.idempotencyKey).toBe(call.idempotencyKey);
      expect(finalCall.status).toBe("succeeded");
      expect(finalCall.attempts).toBe(1);
      expect(await lastAssistantText(runId)).toMatch(new RegExp(`refunded for order ${orderId}`));
    } else {
      expect(refunds).toHaveLength(0);
      expect(finalCall.status).toBe("rejected");
      expect(finalCall.attempts).toBe(0);
      // The product's word on the rejection, then the agent's last line.
      const told = await db.message.findMany({
        where: { runId, author: "assistant" },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      expect(told.at(-2)?.text).toMatch(
        /^Our team did not approve a refund of €50\.00 for order \d+\. Their reason: /,
      );
    }
  });

  it("executes exactly one refund after 20 racing approvals and concurrent advances", async () => {
    const { runId, orderId, approval, call } = await parkedRefund(7300);
    const [reviewer, reviewer2] = await Promise.all([
      actorFor("reviewer@example.com"),
      actorFor("reviewer2@example.com"),
    ]);
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        decideApproval(i % 2 === 0 ? reviewer : reviewer2, {
          decision: "approve",
          approvalId: approval.id,
          expectedHash: approval.proposedHash,
        }),
      ),
    );
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    for (const s of settled) {
      if (s.status === "rejected") {
        const error = asAppError(s.reason);
        expect(error.code).toBe("conflict");
        expect(error.message).toMatch(
          /^R(iley|obin) Reviewer approved it \d+ s ago; nothing else was decided\.$/,
        );
      }
    }

    const outcomes = await Promise.all([
      advanceRun(runId, deps("worker-a")),
      advanceRun(runId, deps("worker-b")),
      advanceRun(runId, deps("worker-a")),
      advanceRun(runId, deps("worker-b")),
    ]);
    expect(outcomes.filter((o) => o === "advanced")).toHaveLength(1);
    expect(await advanceRun(runId, deps("worker-b"))).toBe("idle");

    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");
    const refunds = await db.refund.findMany({ where: { orderId } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.amountCents).toBe(7300);
    expect(refunds[0]!.idempotencyKey).toBe(call.idempotencyKey);
    const executed = await db.toolCall.findUniqueOrThrow({ where: { id: call.id } });
    expect(executed.status).toBe("succeeded");
    expect(executed.attempts).toBe(1);
    expect(await db.traceEvent.count({ where: { toolCallId: call.id, kind: "tool_call" } })).toBe(
      1,
    );
  });
});

describe("edits", () => {
  it("refuses invalid edited arguments and leaves the approval pending", async () => {
    const { runId, orderId, approval, call } = await parkedRefund(4000);
    const reviewer = await actorFor("reviewer@example.com");
    const bad: Array<Record<string, unknown>> = [
      { order_id: orderId, amount_cents: -500, reason: "Partial refund for a scratch" },
      { order_id: orderId, amount_cents: 12.5, reason: "Partial refund for a scratch" },
      { order_id: orderId, reason: "Amount forgotten" },
      { order_id: String(orderId), amount_cents: 1000, reason: "Order id as a string" },
    ];
    for (const args of bad) {
      const error = await decideApproval(reviewer, {
        decision: "edit",
        approvalId: approval.id,
        arguments: args,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(asAppError(error).code).toBe("invalid_input");
    }

    const still = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(still.status).toBe("pending");
    expect(still.approvedArguments).toBeNull();
    expect(still.approvedHash).toBeNull();
    expect(still.decidedById).toBeNull();
    const stillCall = await db.toolCall.findUniqueOrThrow({ where: { id: call.id } });
    expect(stillCall.status).toBe("pending_approval");
    expect(stillCall.argsHash).toBe(call.argsHash);
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe(
      "awaiting_approval",
    );
    expect(await db.traceEvent.count({ where: { toolCallId: call.id, kind: "decision" } })).toBe(0);
    expect(await db.refund.count({ where: { orderId } })).toBe(0);
  });

  it("executes the edited amount and keeps both the proposed and the approved arguments", async () => {
    const { runId, orderId, approval, call } = await parkedRefund(4000);
    const reviewer = await actorFor("reviewer@example.com");
    const edited = {
      order_id: orderId,
      amount_cents: 1500,
      reason: "Partial refund agreed: only the lid was broken",
    };
    const outcome = await decideApproval(reviewer, {
      decision: "edit",
      approvalId: approval.id,
      expectedHash: approval.proposedHash,
      arguments: edited,
      reason: "Only part of the item is damaged",
    });
    expect(outcome).toMatchObject({
      status: "approved",
      decidedBy: "reviewer@example.com",
      runResumed: true,
    });

    expect(await advanceRun(runId, deps())).toBe("advanced");
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");

    const refunds = await db.refund.findMany({ where: { orderId } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.amountCents).toBe(1500);
    expect(refunds[0]!.reason).toBe(edited.reason);

    const decided = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(decided.status).toBe("approved");
    expect(decided.proposedArguments).toEqual(approval.proposedArguments);
    expect(decided.proposedArguments).toMatchObject({ amount_cents: 4000 });
    expect(decided.proposedHash).toBe(approval.proposedHash);
    expect(decided.approvedArguments).toEqual(edited);
    expect(decided.approvedHash).toBe(stableHash(edited));
    expect(decided.approvedHash).not.toBe(decided.proposedHash);
    expect(decided.decisionReason).toBe("Only part of the item is damaged");

    const executed = await db.toolCall.findUniqueOrThrow({ where: { id: call.id } });
    expect(executed.status).toBe("succeeded");
    expect(executed.arguments).toEqual(edited);
    expect(executed.argsHash).toBe(stableHash(edited));
    expect(executed.result).toMatchObject({ amountCents: 1500, orderId });

    const decision = await db.traceEvent.findFirstOrThrow({
      where: { toolCallId: call.id, kind: "decision" },
    });
    expect(decision.name).toBe("edited and approved by reviewer@example.com");
    expect(decision.data).toMatchObject({
      decision: "edit",
      proposed: { amount_cents: 4000 },
      approved: { amount_cents: 1500 },
    });
    expect(await lastAssistantText(runId)).toContain("€15.00 has been refunded");
  });
});

describe("stale views", () => {
  it("refuses a decision bound to a hash that is not the proposed one, and changes nothing", async () => {
    const { runId, orderId, approval, call } = await parkedRefund(3100);
    const reviewer = await actorFor("reviewer2@example.com");
    const staleHash = stableHash({
      order_id: orderId,
      amount_cents: 1,
      reason: "what the reviewer saw earlier",
    });
    expect(staleHash).not.toBe(approval.proposedHash);

    for (const input of [
      { decision: "approve", approvalId: approval.id, expectedHash: staleHash },
      {
        decision: "reject",
        approvalId: approval.id,
        expectedHash: staleHash,
        reason: "Not covered by policy",
      },
    ] satisfies DecisionInput[]) {
      const error = await decideApproval(reviewer, input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(asAppError(error).code).toBe("conflict");
      expect(asAppError(error).message).toMatch(/changed since you opened it/);
    }

    const still = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(still).toMatchObject({
      status: "pending",
      decidedById: null,
      decidedAt: null,
      approvedArguments: null,
      approvedHash: null,
      decisionReason: null,
    });
    expect((await db.toolCall.findUniqueOrThrow({ where: { id: call.id } })).status).toBe(
      "pending_approval",
    );
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe(
      "awaiting_approval",
    );
    expect(await db.traceEvent.count({ where: { toolCallId: call.id, kind: "decision" } })).toBe(0);
    expect(await advanceRun(runId, deps())).toBe("idle");
    expect(await db.refund.count({ where: { orderId } })).toBe(0);

    // The same reviewer, with the current hash, decides normally.
    await expect(
      decideApproval(reviewer, {
        decision: "approve",
        approvalId: approval.id,
        expectedHash: approval.proposedHash,
      }),
    ).resolves.toMatchObject({
      status: "approved",
    });
  });
});

describe("ended runs", () => {
  it("refuses a decision on a run that has ended and rolls every write of it back", async () => {
    const { runId, approval, call } = await parkedRefund(3300);
    // Ended by someone else (the kill switch, a watchdog) while the item was still in the inbox.
    await db.$executeRaw`update runs set status = 'cancelled', status_reason = 'ended elsewhere' where id = ${runId}::uuid`;
    await db.$executeRaw`delete from pgboss.job where name = 'run-wake' and singleton_key = ${runId}`;
    const reviewer = await actorFor("reviewer@example.com");

    const error = await decideApproval(reviewer, {
      decision: "approve",
      approvalId: approval.id,
      expectedHash: approval.proposedHash,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(asAppError(error).code).toBe("conflict");
    expect(asAppError(error).message).toBe(
      "The run has already ended (cancelled); nothing was decided.",
    );

    // The statement had moved the approval and written its events and audit entry: all rolled back.
    expect(await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({
      status: "pending",
      decidedById: null,
    });
    expect((await db.toolCall.findUniqueOrThrow({ where: { id: call.id } })).status).toBe(
      "pending_approval",
    );
    expect(await db.traceEvent.count({ where: { toolCallId: call.id, kind: "decision" } })).toBe(0);
    expect(await db.auditPending.count({ where: { approvalId: approval.id } })).toBe(0);
    expect(await db.auditEntry.count({ where: { approvalId: approval.id } })).toBe(0);
    const [jobs] = await db.$queryRaw<
      { n: number }[]
    >`select count(*)::int as n from pgboss.job where name = 'run-wake' and singleton_key = ${runId}`;
    expect(jobs?.n).toBe(0);
  });
});

describe("crash recovery", () => {
  it("finishes a call left executing after the shop ran it, without a second refund", async () => {
    const { runId, orderId, approval, call } = await parkedRefund(6400);
    const reviewer = await actorFor("reviewer@example.com");
    await decideApproval(reviewer, {
      decision: "approve",
      approvalId: approval.id,
      expectedHash: approval.proposedHash,
    });

    // The worker moved the call to executing, the shop refunded, then the worker died.
    await db.toolCall.update({
      where: { id: call.id },
      data: { status: "executing", attempts: 1 },
    });
    const args = (await db.toolCall.findUniqueOrThrow({ where: { id: call.id } })).arguments as {
      order_id: number;
      amount_cents: number;
      reason: string;
    };
    const first = await new Shop(db, "user@example.com").issueRefund(
      { orderId: args.order_id, amountCents: args.amount_cents, reason: args.reason },
      call.idempotencyKey,
    );
    expect(await db.refund.count({ where: { orderId } })).toBe(1);

    expect(await advanceRun(runId, deps("worker-after-restart"))).toBe("advanced");
    const done = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(done.status).toBe("completed");
    const refunds = await db.refund.findMany({ where: { orderId } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.id).toBe(first.refundId);
    const recovered = await db.toolCall.findUniqueOrThrow({ where: { id: call.id } });
    expect(recovered.status).toBe("succeeded");
    expect(recovered.result).toMatchObject({ refundId: first.refundId, amountCents: 6400 });
    expect(await lastAssistantText(runId)).toContain(first.refundId);
  });

  it("runs a call left executing before the shop was reached exactly once", async () => {
    const { runId, orderId, approval, call } = await parkedRefund(2200);
    const reviewer = await actorFor("reviewer2@example.com");
    await decideApproval(reviewer, { decision: "approve", approvalId: approval.id });
    await db.toolCall.update({
      where: { id: call.id },
      data: { status: "executing", attempts: 1 },
    });

    await Promise.all([advanceRun(runId, deps("worker-a")), advanceRun(runId, deps("worker-b"))]);
    await advanceRun(runId, deps("worker-a"));
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");
    const refunds = await db.refund.findMany({ where: { orderId } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.amountCents).toBe(2200);
    expect((await db.toolCall.findUniqueOrThrow({ where: { id: call.id } })).status).toBe(
      "succeeded",
    );
  });
});
