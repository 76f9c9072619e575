// The cache at the tool layer: a read tool's result is served again to the same agent, subject
// and arguments; this agent's write to the same record invalidates it; an irreversible call is
// never served from it; every lookup is a trace event carrying agent and tool.
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAgent, type ToolSpec } from "@/lib/agent-kit";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import type { ModelProvider, ModelRequest, ModelResponse, ToolUseBlock } from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { opsOverview, opsQuery } from "@/lib/ops/overview";
import { throughToolCache } from "@/lib/tool-cache";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

afterAll(async () => {
  await stopBoss();
});

const usage = { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 };

/** Routes to refunds, then makes one call per model turn from `steps`, then says "done". */
function scriptedRefunds(
  steps: Array<{ name: string; input: Record<string, unknown> }>,
): ModelProvider {
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
              input: { intent: "refund_request", confidence: 0.95, rationale: "refund" },
            },
          ],
        };
      }
      const made = request.messages.flatMap((m) =>
        typeof m.content === "string"
          ? []
          : m.content.filter((b): b is ToolUseBlock => b.type === "tool_use"),
      ).length;
      const step = steps[made];
      if (!step)
        return {
          model: "m",
          stopReason: "end_turn",
          usage,
          retries: [],
          content: [{ type: "text", text: "done" }],
        };
      return {
        model: "m",
        stopReason: "tool_use",
        usage,
        retries: [],
        content: [
          {
            type: "tool_use",
            id: `t${made}`,
            name: step.name,
            input: { ...step.input, confidence: 0.95, rationale: "scripted" },
          },
        ],
      };
    },
  };
}

async function runScript(
  text: string,
  steps: Parameters<typeof scriptedRefunds>[0],
  email = "user@example.com",
) {
  const model = scriptedRefunds(steps);
  const { runId } = await startTurn(await actorFor(email), { text });
  await advanceRun(runId, { model, workerId: "cache" });
  return { runId, model };
}

const cacheEvents = (runId: string) =>
  db.traceEvent.findMany({
    where: { runId, kind: "tool_cache" },
    orderBy: { seq: "asc" },
    select: { name: true, data: true },
  });
const lookupResults = async (runId: string) =>
  (
    await db.toolCall.findMany({
      where: { runId, tool: "lookup_order" },
      orderBy: { createdAt: "asc" },
      select: { status: true, result: true },
    })
  ).map((c) => [c.status, c.result]);

describe("tool-layer cache", () => {
  it("serves the second identical lookup in a run from the cache, as a trace event with agent and tool", async () => {
    const orderId = await freshOrder(1500);
    const lookup = { name: "lookup_order", input: { order_id: orderId } };
    const { runId } = await runScript(`Order ${orderId}: where is it?`, [lookup, lookup]);

    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");
    const events = await cacheEvents(runId);
    expect(events.map((e) => e.name)).toEqual([
      "cache miss · lookup_order",
      "cache hit · lookup_order",
    ]);
    expect(events[1]!.data).toMatchObject({
      agent: "refunds",
      tool: "lookup_order",
      outcome: "hit",
      records: [`order:${orderId}`],
    });
    const [first, second] = await lookupResults(runId);
    expect(first![0]).toBe("succeeded");
    expect(second).toEqual(first); // the same answer, served without calling the shop

    // Another customer asking about the same order number is not served this customer's entry.
    const other = await runScript(`Order ${orderId}: where is it?`, [lookup], "user2@example.com");
    expect((await cacheEvents(other.runId)).map((e) => e.name)).toEqual([
      "cache miss · lookup_order",
    ]);

    // /ops counts the hit and the lookups, and its hit rate is hits over lookups.
    const ops = await opsOverview(
      await actorFor("admin@example.com"),
      opsQuery.parse({ window: "hour" }),
    );
    const figures = ops.tools.find((t) => t.agent === "refunds" && t.tool === "lookup_order")!;
    expect(figures.cacheHits).toBeGreaterThanOrEqual(1);
    expect(figures.cacheLookups).toBeGreaterThan(figures.cacheHits);
    const lookups = ops.tools.reduce((n, t) => n + t.cacheLookups, 0);
    expect(ops.cacheHitRate).toBeCloseTo(ops.tools.reduce((n, t) => n + t.cacheHits, 0) / lookups);
  });

  it("drops the entry when the agent writes to the same order, so the next lookup reads the shop again", async () => {
    const orderId = await freshOrder(1600);
    const lookup = { name: "lookup_order", input: { order_id: orderId } };
    const note = {
      name: "add_order_note",
      input: { order_id: orderId, text: "Customer called about it" },
    };
    const { runId } = await runScript(`Order ${orderId}: add a note`, [lookup, note, lookup]);

    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");
    expect((await cacheEvents(runId)).map((e) => e.name)).toEqual([
      "cache miss · lookup_order",
      "cache invalidated · add_order_note",
      "cache miss · lookup_order",
    ]);
    expect((await lookupResults(runId)).map(([status]) => status)).toEqual([
      "succeeded",
      "succeeded",
    ]);
    // A write to another order leaves this one's entry alone.
    const other = await freshOrder(1700);
    const second = await runScript(`Order ${orderId}`, [
      { name: "add_order_note", input: { order_id: other, text: "Unrelated" } },
      lookup,
    ]);
    expect((await cacheEvents(second.runId)).map((e) => e.name)).toEqual([
      "cache hit · lookup_order",
    ]);
  });

  it("never serves an irreversible call from the cache, even one that declares a cache", async () => {
    const orderId = await freshOrder(1800);
    const refund = {
      name: "issue_refund",
      input: { order_id: orderId, amount_cents: 500, reason: "Arrived broken" },
    };
    const { runId, model } = await runScript(`Order ${orderId} arrived broken`, [
      { name: "lookup_order", input: { order_id: orderId } },
      refund,
    ]);
    const approval = await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
    await decideApproval(await actorFor("reviewer@example.com"), {
      decision: "approve",
      approvalId: approval.id,
    });
    await advanceRun(runId, { model, workerId: "cache" });
    expect(await db.refund.count({ where: { orderId } })).toBe(1);
    expect(await db.toolCacheEntry.count({ where: { tool: "issue_refund" } })).toBe(0);
    // The refund wrote order:<id>, so the agent's cached lookup of it is gone.
    expect(
      await db.toolCacheEntry.count({
        where: { agent: "refunds", records: { has: `order:${orderId}` } },
      }),
    ).toBe(0);
    expect((await cacheEvents(runId)).map((e) => e.name)).toEqual([
      "cache miss · lookup_order",
      "cache invalidated · issue_refund",
    ]);

    // An irreversible tool that declares a cache is refused when the agent is defined...
    const irreversible: ToolSpec<{ n: number }> = {
      name: "pay",
      description: "Pays",
      input: z.object({ n: z.number() }),
      irreversible: true,
      summarize: () => "pay",
      describeForCustomer: () => "a payment",
      cache: { ttlSeconds: 60, records: () => ["x"] },
      execute: async () => ({ paid: true }),
    };
    const agent = {
      name: "payer",
      title: "Payer",
      description: "",
      tier: "small" as const,
      system: "",
      intents: [],
      limits: {} as never,
      createDeps: () => null,
    };
    expect(() => defineAgent({ ...agent, tools: [irreversible as never] })).toThrow(
      /irreversible and cannot be cached/,
    );
    // ...and, should one slip past, the cache runs it every time and stores nothing.
    let executions = 0;
    const scope = {
      agent: "payer",
      tool: irreversible as unknown as ToolSpec<unknown, unknown>,
      input: { n: 1 },
      subjectId: approval.id,
      runId,
      toolCallId: approval.toolCallId,
    };
    for (let i = 0; i < 2; i++) await throughToolCache(scope, async () => ++executions);
    expect(executions).toBe(2);
    expect(await db.toolCacheEntry.count({ where: { agent: "payer" } })).toBe(0);
  });
});
