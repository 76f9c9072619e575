// Before a decision: related items and conflicts among pending ones (lib/approvals/related), and a
// tool's pre-check, run on open and again at decision time (lib/approvals/pre-checks): an approval
// that does not acknowledge its warnings, word for word, is refused and decides nothing.
import { afterAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { packetFacts } from "@/lib/approvals/facts";
import { preCheckWarnings } from "@/lib/approvals/pre-checks";
import { conflictsWithin } from "@/lib/approvals/related";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const model = new OfflineDemoModel();

afterAll(async () => {
  await stopBoss();
});

/** A customer asks for a refund of `orderId`; the offline model proposes a full refund, parked for a human. */
async function parkedRefund(orderId: number, email = "user@example.com") {
  const user = await actorFor(email);
  const { runId } = await startTurn(user, {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  expect(await advanceRun(runId, { model, workerId: "conflicts-worker" })).toBe("advanced");
  return db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("two pending full refunds of one order", () => {
  it("lists each as related to the other, warns of the conflict, and refuses bulk-approving both", async () => {
    const orderId = await freshOrder(8990);
    const first = await parkedRefund(orderId);
    const second = await parkedRefund(orderId);

    const facts = await packetFacts(second.id);
    const related = facts.related.find((r) => r.id === first.id);
    expect(related?.why).toEqual(
      expect.arrayContaining([
        "same customer",
        `same order ${orderId}`,
        "same tool, similar arguments",
      ]),
    );
    expect(facts.conflicts).toHaveLength(1);
    expect(facts.conflicts[0]!.approvalIds.sort()).toEqual([first.id, second.id].sort());
    expect(facts.conflicts[0]!.message).toContain(`order ${orderId}`);
    // The pre-check counts the other pending refund: together they are more than the order allows.
    expect(facts.warnings).toEqual([
      `order ${orderId}: this and 1 other pending refund come to €179.80, more than the €89.90 that can still be refunded`,
    ]);

    expect(await conflictsWithin([first.id, second.id])).toHaveLength(1);
    expect(await conflictsWithin([first.id])).toHaveLength(0);

    // At decision time the other pending refund comes with the decision's own read of the item
    // (decide.ts): the same warning, which refuses an approval that does not acknowledge it.
    const reviewer = await actorFor("reviewer@example.com");
    const refused = await refusal(
      decideApproval(reviewer, {
        decision: "approve",
        approvalId: second.id,
        expectedHash: second.proposedHash,
      }),
    );
    expect(refused.details).toEqual({ warnings: facts.warnings });
  });

  it("after the first is paid, the second's pre-check names the refund and an unacknowledged approval is refused", async () => {
    const orderId = await freshOrder(8990);
    const first = await parkedRefund(orderId);
    const second = await parkedRefund(orderId);
    const reviewer = await actorFor("reviewer@example.com");
    const warned = await preCheckWarnings(first.id);
    await decideApproval(reviewer, {
      decision: "approve",
      approvalId: first.id,
      expectedHash: first.proposedHash,
      acknowledgedWarnings: warned,
    });
    // The approved refund runs when its run resumes.
    expect(await advanceRun(first.runId, { model, workerId: "conflicts-worker" })).toBe("advanced");
    expect(await db.refund.count({ where: { orderId } })).toBe(1);

    const warnings = await preCheckWarnings(second.id);
    expect(warnings).toContain(`order ${orderId}: €89.90 already refunded since this was proposed`);
    expect(warnings).toContain(
      `order ${orderId}: only €0.00 can still be refunded, and this refund is €89.90`,
    );

    const refused = await refusal(
      decideApproval(reviewer, {
        decision: "approve",
        approvalId: second.id,
        expectedHash: second.proposedHash,
      }),
    );
    expect(refused.code).toBe("conflict");
    expect(refused.message).toContain("€89.90 already refunded since this was proposed");
    expect(refused.details).toEqual({ warnings });
    // Acknowledging only some of the warnings is not enough.
    const partly = await refusal(
      decideApproval(reviewer, {
        decision: "approve",
        approvalId: second.id,
        expectedHash: second.proposedHash,
        acknowledgedWarnings: [warnings[0]!],
      }),
    );
    expect(partly.details).toEqual({ warnings: warnings.slice(1) });
    expect((await db.approval.findUniqueOrThrow({ where: { id: second.id } })).status).toBe(
      "pending",
    );

    // A rejection needs no acknowledgement; an acknowledged approval goes through.
    const outcome = await decideApproval(reviewer, {
      decision: "approve",
      approvalId: second.id,
      expectedHash: second.proposedHash,
      acknowledgedWarnings: warnings,
    });
    expect(outcome.status).toBe("approved");
  });

  it("a lone pending refund has no conflict and no warning, and nothing else shares its order", async () => {
    const orderId = await freshOrder(4200);
    const only = await parkedRefund(orderId);
    const facts = await packetFacts(only.id);
    expect(facts.conflicts).toEqual([]);
    expect(facts.warnings).toEqual([]);
    expect(facts.related.every((r) => !r.why.includes(`same order ${orderId}`))).toBe(true);
  });
});
