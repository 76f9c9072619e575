// Counts, not times: the database round trips of one step of a run (one model call that asks for
// one auto tool call, the call, and its answer), on a pool that counts every statement sent. A
// step that needs more, or that grows with the run, fails here without any timing noise. The same
// for a reviewer's decision.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { registry } from "@/lib/agents";
import { decideApproval } from "@/lib/approvals/decide";
import { preCheckWarnings } from "@/lib/approvals/pre-checks";
import { startTurn } from "@/lib/chat/service";
import { createClient, db, type Db } from "@/lib/db";
import { boss, stopBoss } from "@/lib/jobs/queue";
import type { ContentBlock, ModelProvider, ModelRequest, ModelResponse } from "@/lib/model/types";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { readTranscript } from "@/lib/runtime/transcript";
import { actorFor } from "../support/actors";
import { countingPool } from "../support/counting-pool";
import { freshOrder } from "../support/orders";

const MAX_ROUND_TRIPS_PER_STEP = 4;
// The claim, the active settings with the agent's spend today, the kill switch (read at most every
// couple of seconds per process), and the move to running, which also reads the run's state.
const MAX_ROUND_TRIPS_BEFORE_FIRST_STEP = 4;
const TOOL_STEPS = 5;
// Reading the approval; then begin, the run's row lock, the decision's one statement, the resume job, commit.
const MAX_ROUND_TRIPS_PER_DECISION = 6;
// The refund tool's pre-check at decision time, on the approval the decision has read: one read of
// the shop (its order, refunds and failure switches). The other pending refunds come with the
// approval's own read (related.ts alsoPendingArguments); they were a round trip of their own (2).
const MAX_ROUND_TRIPS_REFUND_PRE_CHECK = 1;
const globalForDb = globalThis as unknown as { countersignDb?: Db };

/** Routes to the refunds agent, asks for TOOL_STEPS distinct lookups one per turn, then answers; notes the count at each call. */
class CountingScriptedModel implements ModelProvider {
  readonly name = "scripted-round-trips";
  readonly countAtExecutorCall: number[] = [];
  constructor(private readonly counter: { statements: number }) {}
  async complete(request: ModelRequest): Promise<ModelResponse> {
    const router = request.toolChoice?.type === "tool";
    if (!router) this.countAtExecutorCall.push(this.counter.statements);
    const step = this.countAtExecutorCall.length;
    const content: ContentBlock[] = router
      ? [
          {
            type: "tool_use",
            id: "toolu_rt_route",
            name: "classify_intent",
            input: { intent: "payment_query", confidence: 0.9, rationale: "scripted" },
          },
        ]
      : step <= TOOL_STEPS
        ? [
            {
              type: "tool_use",
              id: `toolu_rt_${step}`,
              name: "lookup_order",
              input: { order_id: 7000 + step, confidence: 0.95, rationale: "scripted" },
            },
          ]
        : [{ type: "text", text: "Looked them all up." }];
    return {
      model: "scripted",
      content,
      stopReason: router || step <= TOOL_STEPS ? "tool_use" : "end_turn",
      usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
      retries: [],
    };
  }
}

describe("database round trips of a step", () => {
  const lookup = registry.tool("refunds", "lookup_order")!;
  const realExecute = lookup.execute;
  const healthy = globalForDb.countersignDb;
  let counted: ReturnType<typeof countingPool>;

  beforeEach(() => {
    // The tool answers from memory: what is counted is the engine's work, not the demo shop's.
    Object.assign(lookup, {
      execute: async (input: { order_id: number }) => ({
        order_id: input.order_id,
        status: "delivered",
      }),
    });
    counted = countingPool();
    globalForDb.countersignDb = createClient(counted.pool);
  });

  afterEach(async () => {
    Object.assign(lookup, { execute: realExecute });
    const client = globalForDb.countersignDb!;
    globalForDb.countersignDb = healthy;
    await client.$disconnect();
  });

  afterAll(async () => {
    await stopBoss();
  });

  it(`takes at most ${MAX_ROUND_TRIPS_PER_STEP} round trips for a model call plus an auto tool call, the same at every step`, async () => {
    const { runId } = await startTurn(await actorFor("user@example.com"), {
      text: "What is the status of my orders 7001 to 7005?",
    });
    const model = new CountingScriptedModel(counted.counter);
    const beforeAdvance = counted.counter.statements;
    expect(await advanceRun(runId, { model, workerId: "round-trips", heartbeat: false })).toBe(
      "advanced",
    );
    const wholeAdvance = counted.counter.statements - beforeAdvance;
    // The answer's step is one write: the last calls' results, the answer, and the run completed.
    expect(counted.counter.statements - model.countAtExecutorCall.at(-1)!).toBe(1);

    const run = await db.run.findUniqueOrThrow({
      where: { id: runId },
      include: { toolCalls: true },
    });
    expect(run.status).toBe("completed");
    expect(run.iterations).toBe(TOOL_STEPS + 1);
    expect(run.toolCalls.map((c) => c.status)).toEqual(Array(TOOL_STEPS).fill("succeeded"));
    // Everything a step records is still there: the transcript, and the step's trace events.
    expect(await readTranscript(runId)).toHaveLength(1 + 2 * TOOL_STEPS + 1);
    const events = await db.traceEvent.findMany({
      where: { runId },
      orderBy: { seq: "asc" },
      select: { name: true },
    });
    expect(events.filter((e) => e.name === "lookup_order · succeeded")).toHaveLength(TOOL_STEPS);
    expect(events.filter((e) => e.name.startsWith("executor ·"))).toHaveLength(TOOL_STEPS + 1);
    // Routing's record, in the order it happened: the claim's move, the router's call, the move to running.
    const routing = events
      .map((e) => e.name)
      .filter(
        (n) => n === "queued → routing" || n.startsWith("router ·") || n === "routing → running",
      );
    expect(routing).toEqual([
      "queued → routing",
      expect.stringMatching(/^router · /),
      "routing → running",
    ]);

    // Step k runs from the k-th executor model call to the next one: its write, the tool, the answer's write.
    const calls = model.countAtExecutorCall;
    const perStep = calls.slice(1).map((count, i) => count - calls[i]!);
    if (process.env.ROUND_TRIPS_LOG) console.log(counted.counter.log.join("\n"));
    console.log(
      `round trips: per step ${perStep.join(", ")}; before the first step (claim, routing) ${calls[0]! - beforeAdvance}; the whole advance ${wholeAdvance}`,
    );
    expect(calls[0]! - beforeAdvance).toBeLessThanOrEqual(MAX_ROUND_TRIPS_BEFORE_FIRST_STEP);
    expect(perStep).toHaveLength(TOOL_STEPS);
    for (const trips of perStep) expect(trips).toBeLessThanOrEqual(MAX_ROUND_TRIPS_PER_STEP);
    // Flat: the last step costs what the first costs.
    expect(new Set(perStep).size).toBe(1);
  });
});

describe("database round trips of a decision", () => {
  const healthy = globalForDb.countersignDb;
  let counted: ReturnType<typeof countingPool>;

  beforeEach(async () => {
    await boss(); // pg-boss's start-up runs on its own pool; only the decision's statements are counted.
    counted = countingPool();
    globalForDb.countersignDb = createClient(counted.pool);
  });

  afterEach(async () => {
    const client = globalForDb.countersignDb!;
    globalForDb.countersignDb = healthy;
    await client.$disconnect();
  });

  afterAll(async () => {
    await stopBoss();
  });

  it(`takes at most ${MAX_ROUND_TRIPS_PER_DECISION} round trips, the resume job and the audit entry included, and ${MAX_ROUND_TRIPS_REFUND_PRE_CHECK} for the refund's pre-check`, async () => {
    const orderId = await freshOrder(4_000);
    const { runId } = await startTurn(await actorFor("user@example.com"), {
      text: `Order ${orderId} arrived broken, I want my money back`,
    });
    expect(
      await advanceRun(runId, {
        model: new OfflineDemoModel(),
        workerId: "round-trips",
        heartbeat: false,
      }),
    ).toBe("advanced");
    const approval = await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
    const reviewer = await actorFor("reviewer@example.com");
    // The turn's own wake-up goes, so that the one left afterwards is the decision's.
    await db.$executeRaw`delete from pgboss.job where name = 'run-wake' and singleton_key = ${runId}`;

    // The packet's pre-check, as the reviewer opens it, finds nothing to warn about.
    expect(await preCheckWarnings(approval.id)).toEqual([]);
    const before = counted.counter.statements;
    const outcome = await decideApproval(reviewer, {
      decision: "approve",
      approvalId: approval.id,
      expectedHash: approval.proposedHash,
    });
    const sent = counted.counter.log.slice(before);
    // The refund tool's pre-check runs between the approval's read and the decision's transaction:
    // it reads the shop (an outside system the demo keeps in this database), counted on its own.
    const preCheck = sent.findIndex((text) => text.toLowerCase() === "begin") - 1;
    const trips = sent.length - preCheck;
    if (process.env.ROUND_TRIPS_LOG) console.log(sent.join("\n"));
    console.log(
      `round trips: one decision ${trips}, and ${preCheck} more for the tool's pre-check (the shop's order and refunds)`,
    );

    expect(outcome.runResumed).toBe(true);
    // Everything the decision records committed with it, on the counted connections.
    expect(await db.auditPending.count({ where: { approvalId: approval.id } })).toBe(1);
    expect(await db.traceEvent.count({ where: { runId, kind: "decision" } })).toBe(1);
    const jobs = await db.$queryRaw<
      { n: bigint }[]
    >`select count(*) as n from pgboss.job where name = 'run-wake' and singleton_key = ${runId}`;
    expect(Number(jobs[0]!.n)).toBe(1);
    expect(sent.map((text) => text.split(" ")[0]!.toLowerCase())).toEqual(
      expect.arrayContaining(["begin", "commit"]),
    );
    expect(trips).toBeLessThanOrEqual(MAX_ROUND_TRIPS_PER_DECISION);
    expect(preCheck).toBeGreaterThan(0);
    expect(preCheck).toBeLessThanOrEqual(MAX_ROUND_TRIPS_REFUND_PRE_CHECK);
  });
});
