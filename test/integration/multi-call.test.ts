import { afterAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import type {
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ToolResultBlock,
} from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

afterAll(async () => {
  await stopBoss();
});

/** Proposes two refunds in one model turn, then reports what the tool results said. */
function twoRefundsModel(orders: [number, number]): ModelProvider {
  const usage = { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 };
  return {
    name: "scripted",
    async complete(request: ModelRequest): Promise<ModelResponse> {
      if (request.toolChoice?.type === "tool") {
        return {
          model: "m",
          stopReason: "tool_use",
          usage,
          retries: [],
          content: [
            {
              type: "tool_use",
              id: "c",
              name: "classify_intent",
              input: { intent: "refund_request", confidence: 0.95, rationale: "two refunds" },
            },
          ],
        };
      }
      const last = request.messages.at(-1)!;
      if (typeof last.content !== "string" && last.content.some((b) => b.type === "tool_result")) {
        const results = last.content.filter((b): b is ToolResultBlock => b.type === "tool_result");
        return {
          model: "m",
          stopReason: "end_turn",
          usage,
          retries: [],
          content: [
            {
              type: "text",
              text: results.map((r) => (r.is_error ? "declined" : "refunded")).join(" and "),
            },
          ],
        };
      }
      return {
        model: "m",
        stopReason: "tool_use",
        usage,
        retries: [],
        content: orders.map((order, i) => ({
          type: "tool_use" as const,
          id: `refund_${i}`,
          name: "issue_refund",
          input: {
            order_id: order,
            amount_cents: 1000,
            reason: "Both parcels arrived broken",
            confidence: 0.9,
            rationale: "Policy covers breakage",
          },
        })),
      };
    },
  };
}

describe("several tool calls in one model turn", () => {
  it("parks each as its own item and resumes the run once all are decided", async () => {
    const orders: [number, number] = [await freshOrder(1000), await freshOrder(1000)];
    const model = twoRefundsModel(orders);
    const user = await actorFor("user@example.com");
    const { runId } = await startTurn(user, {
      text: `Orders ${orders[0]} and ${orders[1]} arrived broken`,
    });
    await advanceRun(runId, { model, workerId: "multi" });

    const approvals = await db.approval.findMany({
      where: { runId },
      orderBy: { createdAt: "asc" },
    });
    expect(approvals).toHaveLength(2);
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe(
      "awaiting_approval",
    );

    const reviewer = await actorFor("reviewer@example.com");
    const first = await decideApproval(reviewer, {
      decision: "approve",
      approvalId: approvals[0]!.id,
    });
    expect(first.runResumed).toBe(false);
    expect(await advanceRun(runId, { model, workerId: "multi" })).toBe("idle");
    expect(await db.refund.count({ where: { orderId: { in: orders } } })).toBe(0);

    const second = await decideApproval(reviewer, {
      decision: "reject",
      approvalId: approvals[1]!.id,
      reason: "Only one parcel was broken",
    });
    expect(second.runResumed).toBe(true);
    await advanceRun(runId, { model, workerId: "multi" });

    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("completed");
    expect(await db.refund.count({ where: { orderId: orders[0] } })).toBe(1);
    expect(await db.refund.count({ where: { orderId: orders[1] } })).toBe(0);
    const reply = await db.message.findFirstOrThrow({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "desc" },
    });
    expect(reply.text).toBe("refunded and declined");
  });

  it("resumes the run exactly once when both calls are decided at once, with other decisions beside them", async () => {
    const user = await actorFor("user@example.com");
    const park = async () => {
      const orders: [number, number] = [await freshOrder(1000), await freshOrder(1000)];
      const model = twoRefundsModel(orders);
      const { runId } = await startTurn(user, {
        text: `Orders ${orders[0]} and ${orders[1]} arrived broken`,
      });
      await advanceRun(runId, { model, workerId: "multi" });
      return {
        runId,
        approvals: await db.approval.findMany({ where: { runId }, orderBy: { createdAt: "asc" } }),
      };
    };
    const decoy = await park();
    const target = await park();
    const riley = await actorFor("reviewer@example.com");
    const robin = await actorFor("reviewer2@example.com");

    // The decoy's decision goes first, alone; the two on the target run wait together and are
    // written in one group (lib/approvals/decision-batch.ts), so neither sees the other pending.
    const outcomes = await Promise.all([
      decideApproval(riley, { decision: "approve", approvalId: decoy.approvals[0]!.id }),
      decideApproval(riley, { decision: "approve", approvalId: target.approvals[0]!.id }),
      decideApproval(robin, {
        decision: "reject",
        approvalId: target.approvals[1]!.id,
        reason: "Only one parcel was broken",
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["approved", "approved", "rejected"]);
    expect(outcomes.slice(1).filter((o) => o.runResumed)).toHaveLength(1);

    const run = await db.run.findUniqueOrThrow({ where: { id: target.runId } });
    expect(run.status).toBe("running");
    const resumes = await db.traceEvent.count({
      where: { runId: target.runId, kind: "transition", name: "awaiting_approval → running" },
    });
    expect(resumes).toBe(1);
    expect(await db.traceEvent.count({ where: { runId: target.runId, kind: "decision" } })).toBe(2);
    expect(
      (await db.auditPending.count({ where: { runId: target.runId } })) +
        (await db.auditEntry.count({ where: { runId: target.runId } })),
    ).toBe(2);
    const [jobs] = await db.$queryRaw<
      [{ n: bigint }]
    >`select count(*) as n from pgboss.job where data->>'runId' = ${target.runId}`;
    expect(Number(jobs.n)).toBe(1);
    // The decoy's run still waits for its second call.
    expect((await db.run.findUniqueOrThrow({ where: { id: decoy.runId } })).status).toBe(
      "awaiting_approval",
    );
  });
});
