// Fault injection through the real Anthropic SDK: every run below talks HTTP to a loopback server
// that speaks the Messages API, and the demo shop's failure switches make the tools fail. Each run
// must end in the expected named state, inside its limits, fully traced, with nothing irreversible
// executed.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { lookupOrder } from "@/agents/refunds/tools";
import { settingsAt } from "@/lib/agent-settings/settings";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { AnthropicProvider } from "@/lib/model/anthropic";
import type { ChatMessage, ToolResultBlock } from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { canMoveRun, canMoveToolCall } from "@/lib/runtime/state-machines";
import { setFault } from "@/agents/demo-shop/faults";
import type { RunStatus, ToolCallStatus } from "@/lib/generated/prisma/enums";
import { actorFor } from "../support/actors";
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeResponse,
} from "../support/fake-anthropic";
import { freshOrder } from "../support/orders";

/** Attempts of a tool call that keeps failing in a retryable way: tool.maxRetries defaults to 2. */
const MAX_TOOL_ATTEMPTS = 3;
/** The provider's own retries after the first attempt (AnthropicProvider's default). */
const MODEL_RETRIES = 3;
const HONEST_STOP = /stop before finishing.*nothing irreversible was done/;

let fake: FakeAnthropic;
let sleeps: number[];
let model: AnthropicProvider;

// A fresh loopback server per test, so an unused scripted answer can never leak into the next run.
beforeEach(async () => {
  fake = await startFakeAnthropic();
  sleeps = [];
  model = new AnthropicProvider({
    apiKey: "sk-test-faults",
    baseURL: fake.url,
    sleep: async (ms) => void sleeps.push(ms),
  });
});
afterEach(async () => {
  await fake.close();
});
afterAll(async () => {
  await stopBoss();
});

const judged = (input: Record<string, unknown>) => ({
  ...input,
  confidence: 0.95,
  rationale: "scripted",
});
const toolTurn = (name: string, input: Record<string, unknown>): FakeResponse => ({
  kind: "message",
  content: [fake.toolUse(name, judged(input))],
});
const answer = (text: string): FakeResponse => ({ kind: "message", content: [fake.text(text)] });
const routeAs = (intent: string) =>
  fake.enqueue(toolTurn("classify_intent", { intent, confidence: 0.9, rationale: "scripted" }));
/** A model that keeps proposing the same call: a fresh tool_use id every time, as a real model would. */
const forever = (name: string, input: Record<string, unknown>) =>
  fake.enqueue(...Array.from({ length: 40 }, () => toolTurn(name, input)));

async function runTurn(text: string) {
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, { text });
  expect(await advanceRun(runId, { model, workerId: "faults-anthropic" })).toBe("advanced");
  return loadRun(runId);
}

function loadRun(runId: string) {
  return db.run.findUniqueOrThrow({
    where: { id: runId },
    include: {
      toolCalls: { orderBy: { createdAt: "asc" } },
      approvals: true,
      events: { orderBy: { seq: "asc" } },
    },
  });
}
type LoadedRun = Awaited<ReturnType<typeof loadRun>>;

/** The tool results the model was sent in the given HTTP request (0 is the router's). */
function toolResultsSent(request: number): ToolResultBlock[] {
  const last = (fake.requests[request]!.messages as ChatMessage[]).at(-1)!;
  return last.role === "user" && typeof last.content !== "string"
    ? last.content.filter((b): b is ToolResultBlock => b.type === "tool_result")
    : [];
}

/** The JSON payload inside a spotlighted tool result. */
function payloadOf(result: ToolResultBlock): unknown {
  const match =
    /^<tool-output boundary="([0-9a-f]{16})">\n([\s\S]*)\n<\/tool-output boundary="\1">$/.exec(
      result.content,
    );
  expect(match, result.content).not.toBeNull();
  return JSON.parse(match![2]!);
}

async function assistantMessages(runId: string) {
  return (
    await db.message.findMany({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "asc" },
    })
  ).map((m) => m.text);
}

/**
 * What every run here must satisfy, whatever went wrong: within its limits, every HTTP request
 * and every tool call traced, every state change legal, and no irreversible effect.
 */
async function expectFailedSafe(run: LoadedRun, orderId?: number) {
  expect(run.finishedAt).not.toBeNull();
  expect(run.leaseOwner).toBeNull();
  if (run.status === "completed") expect(run.statusReason).toBeNull();
  if (run.agent) {
    const limits = await settingsAt(run.agent, run.agentVersion);
    expect(run.iterations).toBeLessThanOrEqual(limits.maxIterations);
    expect(run.inputTokens + run.outputTokens).toBeLessThanOrEqual(limits.maxTokensPerRun);
    expect(run.costMicros).toBeLessThanOrEqual(limits.maxCostMicros);
    expect(run.finishedAt!.getTime()).toBeLessThanOrEqual(run.deadlineAt.getTime());
    for (const e of run.events.filter(
      (e) => e.kind === "model_call" && e.name.startsWith("executor"),
    )) {
      const estimated = (e.data as { estimatedPromptTokens?: number }).estimatedPromptTokens;
      if (estimated !== undefined)
        expect(estimated).toBeLessThanOrEqual(limits.contextBudgetTokens);
    }
  }

  // Every HTTP request is in the trace: each model_call event stands for its retries plus one.
  const modelCalls = run.events.filter((e) => e.kind === "model_call");
  const traced = modelCalls.reduce(
    (sum, e) => sum + 1 + ((e.data as { retries?: unknown[] }).retries?.length ?? 0),
    0,
  );
  expect(traced).toBe(fake.requests.length);

  // The run's transitions form one legal chain from queued to where it stands, ending with its reason.
  const moves = run.events
    .filter((e) => e.kind === "transition" && !e.toolCallId)
    .map((e) => e.data as { from: RunStatus; to: RunStatus; reason: string | null });
  expect(moves[0]?.from).toBe("queued");
  moves.forEach((m, i) => {
    expect(canMoveRun(m.from, m.to), `${m.from} → ${m.to}`).toBe(true);
    if (i > 0) expect(m.from).toBe(moves[i - 1]!.to);
  });
  expect(moves.at(-1)).toMatchObject({ to: run.status, reason: run.statusReason });

  for (const call of run.toolCalls) {
    const events = run.events.filter((e) => e.toolCallId === call.id);
    const path = events
      .filter((e) => e.kind === "transition")
      .map((e) => (e.data as { to: ToolCallStatus }).to);
    path.reduce<ToolCallStatus>(
      (from, to) => (
        expect(canMoveToolCall(from, to), `${call.tool}: ${from} → ${to}`).toBe(true),
        to
      ),
      "proposed",
    );
    expect(path.at(-1) ?? "proposed").toBe(call.status);
    const outcomes = events.filter((e) => e.kind === "tool_call" && !e.name.endsWith("retrying"));
    const retries = events.filter((e) => e.kind === "tool_call" && e.name.endsWith("retrying"));
    if (call.status === "refused") {
      expect(events.some((e) => e.kind === "policy" && e.name === `refused ${call.tool}`)).toBe(
        true,
      );
      expect(outcomes).toHaveLength(0);
      expect(call.attempts).toBe(0);
    } else {
      expect(outcomes.map((e) => e.name)).toEqual([`${call.tool} · ${call.status}`]);
      expect(outcomes[0]!.data).toMatchObject({ attempts: call.attempts });
      expect(retries).toHaveLength(call.attempts - 1);
    }
  }

  // Nothing irreversible: no refund, no irreversible call run or approved.
  if (orderId !== undefined) expect(await db.refund.count({ where: { orderId } })).toBe(0);
  expect(
    await db.refund.count({
      where: { idempotencyKey: { in: run.toolCalls.map((c) => c.idempotencyKey) } },
    }),
  ).toBe(0);
  expect(
    run.toolCalls.filter(
      (c) => c.irreversible && ["approved", "executing", "succeeded"].includes(c.status),
    ),
  ).toEqual([]);
  expect(run.approvals.filter((a) => a.status === "approved")).toEqual([]);
}

describe("a misbehaving model, through the real Anthropic SDK", () => {
  it("terminates a model that repeats one tool call forever as a loop", async () => {
    const orderId = await freshOrder(3100);
    routeAs("refund_request");
    forever("lookup_order", { order_id: orderId });
    const run = await runTurn(`Refund order ${orderId}, it arrived broken`);

    const { loopThreshold } = await settingsAt("refunds", run.agentVersion);
    expect(run.status).toBe("terminated");
    expect(run.statusReason).toMatch(
      new RegExp(
        `^loop: repeated_call: lookup_order called ${loopThreshold} times with the same arguments`,
      ),
    );
    // The router, then one executor request per step; the last identical call is never proposed.
    expect(fake.requests).toHaveLength(1 + loopThreshold);
    expect(run.toolCalls.map((c) => [c.tool, c.status, c.attempts])).toEqual(
      Array.from({ length: loopThreshold - 1 }, () => ["lookup_order", "succeeded", 1]),
    );
    expect(run.events.filter((e) => e.kind === "limit").map((e) => e.name)).toEqual([
      "loop · repeated_call",
    ]);
    expect(await assistantMessages(run.id)).toEqual([expect.stringMatching(HONEST_STOP)]);
    await expectFailedSafe(run, orderId);
  });

  it("fails a model whose every answer is malformed with model_error, after bounded retries", async () => {
    fake.setDefault({ kind: "malformed" });
    const run = await runTurn("Why was I charged twice?");

    expect(run.status).toBe("failed");
    expect(run.statusReason).toBe("model_error: server_error");
    expect(run.agent).toBeNull();
    expect(fake.requests).toHaveLength(1 + MODEL_RETRIES);
    expect(sleeps).toHaveLength(MODEL_RETRIES);
    const failed = run.events.filter((e) => e.kind === "model_call");
    expect(failed.map((e) => e.name)).toEqual(["router · failed"]);
    expect(failed[0]!.data).toMatchObject({
      provider: "anthropic",
      error: "server_error",
      message: expect.stringMatching(/malformed/),
    });
    expect((failed[0]!.data as { retries: unknown[] }).retries).toEqual(
      Array.from({ length: MODEL_RETRIES }, () =>
        expect.objectContaining({ kind: "server_error" }),
      ),
    );
    expect(await assistantMessages(run.id)).toEqual([
      expect.stringMatching(/Something went wrong on our side.*nothing irreversible was done/),
    ]);
    await expectFailedSafe(run);
  });

  it("fails the executor step the same way when only its answers are malformed", async () => {
    routeAs("payment_query");
    fake.setDefault({ kind: "malformed" });
    const run = await runTurn("Why was I charged twice?");

    expect(run.status).toBe("failed");
    expect(run.statusReason).toBe("model_error: server_error");
    expect(run.agent).toBe("refunds");
    expect(run.events.filter((e) => e.kind === "model_call").map((e) => e.name)).toEqual([
      expect.stringMatching(/^router · /),
      "executor · failed",
    ]);
    expect(fake.requests).toHaveLength(1 + 1 + MODEL_RETRIES);
    expect(run.toolCalls).toHaveLength(0);
    await expectFailedSafe(run);
  });

  it("refuses tool input that is always invalid, tells the model why, and ends the loop honestly", async () => {
    const orderId = await freshOrder(2700);
    routeAs("refund_request");
    forever("lookup_order", { order_id: "abc" });
    const run = await runTurn(`Refund order ${orderId}, it arrived broken`);

    const { loopThreshold } = await settingsAt("refunds", run.agentVersion);
    expect(run.status).toBe("terminated");
    // The same failing call made again is caught at its first repetition.
    expect(run.statusReason).toMatch(
      /^loop: repeated_failure: lookup_order retried after failing 1 time with the same arguments/,
    );
    expect(loopThreshold).toBe(3);
    expect(run.toolCalls).toHaveLength(1);
    for (const call of run.toolCalls) {
      expect(call).toMatchObject({
        status: "refused",
        attempts: 0,
        result: null,
        error: { kind: "invalid_arguments", message: expect.stringMatching(/order_id/) },
      });
    }
    // Each refusal went back to the model as a structured error result.
    const told = toolResultsSent(2);
    expect(told).toHaveLength(1);
    expect(told[0]!.is_error).toBe(true);
    expect(payloadOf(told[0]!)).toMatchObject({
      status: "refused",
      kind: "invalid_arguments",
      message: expect.stringMatching(/expected number/),
    });
    expect(await assistantMessages(run.id)).toEqual([expect.stringMatching(HONEST_STOP)]);
    await expectFailedSafe(run, orderId);
  });

  it("refuses a tool outside the executor, executes nothing, and lets the run go on", async () => {
    const orderId = await freshOrder(4100);
    routeAs("general_enquiry");
    fake.enqueue(
      toolTurn("issue_refund", {
        order_id: orderId,
        amount_cents: 4100,
        reason: "The customer asked for it",
      }),
      answer("I can't issue refunds myself; a member of our team will follow up here."),
    );
    const run = await runTurn("What is your returns policy?");

    expect(run.agent).toBe("support");
    expect(run.status).toBe("completed");
    const offered = (fake.requests[1]!.tools as Array<{ name: string }>).map((t) => t.name);
    expect(offered).not.toContain("issue_refund");
    expect(run.toolCalls.map((c) => [c.tool, c.status])).toEqual([["issue_refund", "refused"]]);
    expect(run.toolCalls[0]!.error).toEqual({
      kind: "forbidden",
      message: "Tool issue_refund is not available to the support agent",
    });
    const told = toolResultsSent(2);
    expect(told.map((r) => r.is_error)).toEqual([true]);
    expect(payloadOf(told[0]!)).toMatchObject({ status: "refused", kind: "forbidden" });
    expect(run.approvals).toHaveLength(0);
    expect(await assistantMessages(run.id)).toEqual([
      "I can't issue refunds myself; a member of our team will follow up here.",
    ]);
    await expectFailedSafe(run, orderId);
  });
});

describe("model API failures, through the real Anthropic SDK", () => {
  it("waits out a 429's retry-after, then completes, and the trace records the retry", async () => {
    routeAs("payment_query");
    fake.enqueue(
      { kind: "error", status: 429, retryAfterSeconds: 2 },
      answer("Your last payment went through on the 3rd."),
    );
    const run = await runTurn("Did my last payment go through?");

    expect(run.status).toBe("completed");
    expect(run.statusReason).toBeNull();
    expect(sleeps).toEqual([2000]);
    const executorCall = run.events.find(
      (e) => e.kind === "model_call" && e.name.startsWith("executor"),
    )!;
    expect(executorCall.data).toMatchObject({
      provider: "anthropic",
      stopReason: "end_turn",
      retries: [{ kind: "rate_limited", status: 429, waitedMs: 2000 }],
    });
    expect(executorCall.costMicros).toBeGreaterThan(0);
    await expectFailedSafe(run);
  });

  it("rides out 529 overloaded and a 500 on the router within its retry budget", async () => {
    fake.enqueue({ kind: "error", status: 529 }, { kind: "error", status: 500 });
    routeAs("payment_query");
    fake.enqueue(answer("Your payment is fine."));
    const run = await runTurn("Was my card charged?");

    expect(run.status).toBe("completed");
    const routerCall = run.events.find(
      (e) => e.kind === "model_call" && e.name.startsWith("router"),
    )!;
    expect((routerCall.data as { retries: unknown[] }).retries).toEqual([
      expect.objectContaining({ kind: "overloaded", status: 529 }),
      expect.objectContaining({ kind: "server_error", status: 500 }),
    ]);
    await expectFailedSafe(run);
  });
});

describe("shop failures under a model on the real Anthropic SDK", () => {
  async function withFault<T>(
    mode: "rate_limited" | "not_found" | "stall",
    remaining: number | null,
    body: () => Promise<T>,
  ): Promise<T> {
    await setFault(db, { operation: "lookup_order", mode, remaining });
    try {
      return await body();
    } finally {
      await setFault(db, { operation: "lookup_order", mode: null, remaining: null });
    }
  }

  async function lookupThenAnswer(orderId: number, text: string) {
    routeAs("payment_query");
    fake.enqueue(toolTurn("lookup_order", { order_id: orderId }), answer(text));
    return runTurn(`What is the status of order ${orderId}?`);
  }

  it("retries a rate-limited lookup after its retry-after and succeeds", async () => {
    const orderId = await freshOrder(2200);
    const run = await withFault("rate_limited", 1, () =>
      lookupThenAnswer(orderId, `Order ${orderId} is delivered.`),
    );

    expect(run.status).toBe("completed");
    const [call] = run.toolCalls;
    expect(call).toMatchObject({
      tool: "lookup_order",
      status: "succeeded",
      attempts: 2,
      error: null,
    });
    const retry = run.events.find(
      (e) => e.kind === "tool_call" && e.name === "lookup_order · rate_limited, retrying",
    )!;
    expect(retry.data).toMatchObject({
      attempt: 1,
      kind: "rate_limited",
      waitMs: expect.any(Number),
    });
    expect((retry.data as { waitMs: number }).waitMs).toBeGreaterThanOrEqual(1000);
    const done = run.events.find(
      (e) => e.kind === "tool_call" && e.name === "lookup_order · succeeded",
    )!;
    // Timers may fire a hair early against performance.now(); the retry-after is 1 s.
    expect(done.latencyMs).toBeGreaterThanOrEqual(950);
    const told = toolResultsSent(2);
    expect(told[0]!.is_error).toBeUndefined();
    expect(payloadOf(told[0]!)).toMatchObject({ orderId });
    await expectFailedSafe(run, orderId);
  });

  it("gives up on a lookup that stays rate-limited after its retries, tells the model, and ends honestly", async () => {
    const orderId = await freshOrder(2300);
    const honest =
      "The shop is too busy to look the order up right now; a member of our team will follow up here.";
    const run = await withFault("rate_limited", 10, () => lookupThenAnswer(orderId, honest));

    expect(run.status).toBe("completed");
    expect(run.toolCalls.map((c) => [c.status, c.attempts, c.error])).toEqual([
      [
        "failed",
        MAX_TOOL_ATTEMPTS,
        // The technical message for the trace and the model, and beside it what a customer may read.
        {
          kind: "rate_limited",
          message: "Too many requests to the shop",
          customerMessage: "Our shop's system was too busy to answer.",
          attempts: MAX_TOOL_ATTEMPTS,
        },
      ],
    ]);
    expect(
      run.events.filter((e) => e.name === "lookup_order · rate_limited, retrying"),
    ).toHaveLength(MAX_TOOL_ATTEMPTS - 1);
    const told = toolResultsSent(2);
    expect(told[0]!.is_error).toBe(true);
    expect(payloadOf(told[0]!)).toEqual({
      status: "failed",
      kind: "rate_limited",
      message: "Too many requests to the shop",
      customerMessage: "Our shop's system was too busy to answer.",
      attempts: MAX_TOOL_ATTEMPTS,
    });
    expect(await assistantMessages(run.id)).toEqual([honest]);
    await expectFailedSafe(run, orderId);
  });

  it(
    "times out a stalled lookup at the 5 s tool deadline and retries it",
    { timeout: 30_000 },
    async () => {
      const orderId = await freshOrder(2400);
      const run = await withFault("stall", 1, () =>
        lookupThenAnswer(orderId, `Order ${orderId} is delivered.`),
      );

      expect(run.status).toBe("completed");
      expect(run.toolCalls.map((c) => [c.status, c.attempts])).toEqual([["succeeded", 2]]);
      const timedOut = run.events.find((e) => e.name === "lookup_order · timeout, retrying")!;
      expect(timedOut.data).toMatchObject({
        attempt: 1,
        kind: "timeout",
        message: "The tool did not answer within 5s",
      });
      const done = run.events.find((e) => e.name === "lookup_order · succeeded")!;
      expect(done.latencyMs).toBeGreaterThanOrEqual(4_950);
      await expectFailedSafe(run, orderId);
    },
  );

  it("fails a lookup that stalls on every attempt with a typed timeout", async () => {
    const orderId = await freshOrder(2500);
    // Every attempt stalls: a short deadline keeps the three attempts quick (the 5 s one is above).
    const deadline = lookupOrder.timeoutMs;
    lookupOrder.timeoutMs = 250;
    const honest =
      "I couldn't reach the order system in time; a member of our team will follow up here.";
    try {
      const run = await withFault("stall", null, () => lookupThenAnswer(orderId, honest));
      expect(run.status).toBe("completed");
      expect(run.toolCalls.map((c) => [c.status, c.attempts, c.error])).toEqual([
        [
          "failed",
          MAX_TOOL_ATTEMPTS,
          {
            kind: "timeout",
            message: "The tool did not answer within 0.25s",
            attempts: MAX_TOOL_ATTEMPTS,
          },
        ],
      ]);
      expect(run.events.filter((e) => e.name === "lookup_order · timeout, retrying")).toHaveLength(
        MAX_TOOL_ATTEMPTS - 1,
      );
      expect(payloadOf(toolResultsSent(2)[0]!)).toMatchObject({
        status: "failed",
        kind: "timeout",
      });
      expect(await assistantMessages(run.id)).toEqual([honest]);
      await expectFailedSafe(run, orderId);
    } finally {
      lookupOrder.timeoutMs = deadline;
    }
  });

  it("returns not_found to the model as a structured result, and the model changes course", async () => {
    const orderId = await freshOrder(2600);
    const changedCourse = `I couldn't find order ${orderId} on your account. Could you check the number?`;
    const run = await withFault("not_found", 1, () => lookupThenAnswer(orderId, changedCourse));

    expect(run.status).toBe("completed");
    expect(run.toolCalls.map((c) => [c.status, c.attempts])).toEqual([["failed", 1]]);
    expect(run.events.filter((e) => e.name.endsWith("retrying"))).toHaveLength(0);
    const told = toolResultsSent(2);
    expect(told.map((r) => [r.tool_use_id, r.is_error])).toEqual([
      [run.toolCalls[0]!.toolUseId, true],
    ]);
    expect(payloadOf(told[0]!)).toEqual({
      status: "failed",
      kind: "not_found",
      message: "The shop found nothing for this request",
      attempts: 1,
    });
    expect(await assistantMessages(run.id)).toEqual([changedCourse]);
    await expectFailedSafe(run, orderId);
  });
});
