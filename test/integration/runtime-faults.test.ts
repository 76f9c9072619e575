// The runtime against models that misbehave: loops, garbage classifications, tools outside the
// executor, provider failures and low confidence. Each ends in a named state, never silently.
import { afterAll, describe, expect, it } from "vitest";
import { registry } from "@/lib/agents";
import { fallbackClassification, ROUTER_MAX_ATTEMPTS, ROUTER_TOOL } from "@/lib/runtime/router";
import { refundsAgent } from "@/agents/refunds";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import {
  ModelError,
  type ContentBlock,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type ToolUseBlock,
} from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { readTranscript } from "@/lib/runtime/transcript";
import { defaultSettings, saveSettings } from "@/lib/agent-settings/settings";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const FALLBACK = fallbackClassification(registry);

afterAll(async () => {
  await stopBoss();
});

type Script = (request: ModelRequest, call: number) => ContentBlock[];

/** A scripted provider: one script for the router (forced tool use), one for the executor. */
class ScriptedModel implements ModelProvider {
  readonly name = "scripted-test";
  readonly routerRequests: ModelRequest[] = [];
  readonly executorRequests: ModelRequest[] = [];

  constructor(
    private readonly router: Script,
    private readonly executor: Script,
  ) {}

  async complete(request: ModelRequest): Promise<ModelResponse> {
    // The runtime keeps appending to the arrays it passed; keep what this call saw.
    const seen = structuredClone(request);
    const isRouter = request.toolChoice?.type === "tool";
    const log = isRouter ? this.routerRequests : this.executorRequests;
    log.push(seen);
    const content = (isRouter ? this.router : this.executor)(seen, log.length);
    return {
      model: "scripted-test-model",
      content,
      stopReason: content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn",
      usage: { inputTokens: 20, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 },
      retries: [],
    };
  }
}

let ids = 0;
const toolUse = (name: string, input: Record<string, unknown>): ToolUseBlock => ({
  type: "tool_use",
  id: `toolu_scripted_${++ids}`,
  name,
  input,
});
const text = (t: string): ContentBlock[] => [{ type: "text", text: t }];
const classify =
  (intent: string, confidence = 0.9): Script =>
  () => [toolUse(ROUTER_TOOL, { intent, confidence, rationale: "scripted" })];

/** The executor has seen a tool result since its last answer. */
function answeredLastTurn(request: ModelRequest): boolean {
  const last = request.messages.at(-1);
  return (
    last?.role === "user" &&
    typeof last.content !== "string" &&
    last.content.some((b) => b.type === "tool_result")
  );
}

async function run(model: ModelProvider, request: string) {
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, { text: request });
  expect(await advanceRun(runId, { model, workerId: "faults-worker" })).toBe("advanced");
  return db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { toolCalls: { orderBy: { createdAt: "asc" } }, approvals: true },
  });
}

async function assistantMessages(runId: string) {
  return (
    await db.message.findMany({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "asc" },
    })
  ).map((m) => m.text);
}

describe("runtime faults", () => {
  it("stops a model that repeats the same read forever as a loop, before it burns its budget", async () => {
    const orderId = await freshOrder(3000);
    const model = new ScriptedModel(classify("refund_request"), () => [
      toolUse("lookup_order", {
        order_id: orderId,
        confidence: 0.99,
        rationale: "Let me check again.",
      }),
    ]);
    const done = await run(model, `Refund order ${orderId}`);

    const threshold = defaultSettings("refunds").loopThreshold;
    expect(done.status).toBe("terminated");
    expect(done.statusReason).toMatch(
      /^loop: repeated_call: lookup_order called 3 times with the same arguments/,
    );
    expect(model.executorRequests).toHaveLength(threshold);
    // The third identical call is caught before it is proposed.
    expect(done.toolCalls).toHaveLength(threshold - 1);
    expect(done.approvals).toHaveLength(0);
    expect(
      await db.traceEvent.count({
        where: { runId: done.id, kind: "limit", name: "loop · repeated_call" },
      }),
    ).toBe(1);
    const messages = await assistantMessages(done.id);
    expect(messages).toEqual([
      expect.stringMatching(/stop before finishing.*nothing irreversible was done/),
    ]);
    expect(await advanceRun(done.id, { model, workerId: "faults-worker" })).toBe("idle");
  });

  it("stops a model that never finishes at max_iterations", async () => {
    const orderId = await freshOrder(3000);
    const admin = await actorFor("admin@example.com");
    const defaults = defaultSettings("refunds");
    // Loop detection off (a high threshold), so the iteration limit is what stops the run.
    await saveSettings(admin, {
      agent: "refunds",
      settings: { ...defaults, loopThreshold: 20 },
      reason: "test: iteration limit",
    });
    try {
      let n = 0;
      const model = new ScriptedModel(classify("refund_request"), () => [
        toolUse(n++ % 2 ? "list_refunds" : "lookup_order", {
          order_id: orderId,
          confidence: 0.99,
          rationale: "Checking.",
        }),
      ]);
      const done = await run(model, `Refund order ${orderId}`);
      const max = defaults.maxIterations;
      expect(done.status).toBe("terminated");
      expect(done.statusReason).toMatch(/^max_iterations: Reached the limit of 8 steps/);
      expect(done.iterations).toBe(max);
      expect(model.executorRequests).toHaveLength(max);
      expect(done.toolCalls).toHaveLength(max);
      expect(done.toolCalls.every((c) => c.status === "succeeded" && !c.irreversible)).toBe(true);
      expect(
        await db.traceEvent.count({
          where: { runId: done.id, kind: "limit", name: "max_iterations" },
        }),
      ).toBe(1);
      expect(await db.refund.count({ where: { orderId } })).toBe(0);
    } finally {
      await saveSettings(admin, {
        agent: "refunds",
        settings: defaults,
        reason: "test: restore defaults",
      });
    }
  });

  it("asks a router that never answers validly exactly 3 times, then falls back to general support", async () => {
    const garbage: ContentBlock[][] = [
      text("I think this is about a refund."),
      [
        toolUse(ROUTER_TOOL, {
          intent: "refund_please",
          confidence: 0.9,
          rationale: "made up intent",
        }),
      ],
      [toolUse(ROUTER_TOOL, { intent: "refund_request", confidence: 7, rationale: "" })],
    ];
    const model = new ScriptedModel(
      (_request, call) => garbage[(call - 1) % garbage.length]!,
      () => text("A member of our team will follow up with you here."),
    );
    const done = await run(model, "Can you help me with something?");

    expect(ROUTER_MAX_ATTEMPTS).toBe(3);
    expect(model.routerRequests).toHaveLength(3);
    // Each retry carries the previous answer and what was wrong with it.
    expect(model.routerRequests.map((r) => r.messages.length)).toEqual([1, 3, 5]);
    expect(model.routerRequests[1]!.messages[2]).toEqual({
      role: "user",
      content: `You must call ${ROUTER_TOOL}.`,
    });
    expect(JSON.stringify(model.routerRequests[2]!.messages[4])).toMatch(/Invalid classification/);
    expect(
      model.routerRequests.every(
        (r) => r.toolChoice?.type === "tool" && r.toolChoice.name === ROUTER_TOOL,
      ),
    ).toBe(true);

    expect(done.intent).toBe("general_enquiry");
    expect(done.intentConfidence).toBe(FALLBACK.confidence);
    expect(done.agent).toBe("support");
    expect(done.status).toBe("completed");
    expect(model.executorRequests).toHaveLength(1);
    expect(model.executorRequests[0]!.tools?.map((t) => t.name).sort()).toEqual([
      "hand_off_to_team",
      "recall_result",
      "search_policies",
      "send_email",
    ]);
    // The fallback goes to a human: the team gets it as a follow-up, whatever the agent answers.
    expect(await db.followUp.findUniqueOrThrow({ where: { runId: done.id } })).toMatchObject({
      status: "open",
      reason:
        "the router could not classify the request; general support answered it at confidence 0",
    });

    const routing = await db.traceEvent.findMany({ where: { runId: done.id, kind: "routing" } });
    expect(routing).toHaveLength(1);
    expect(routing[0]!.name).toMatch(/^general_enquiry → support \(settings v\d+\)$/);
    expect(routing[0]!.data).toMatchObject({ intent: "general_enquiry", fallback: true });
    const transition = await db.traceEvent.findFirstOrThrow({
      where: { runId: done.id, kind: "transition", name: "routing → running" },
    });
    expect(transition.data).toMatchObject({ reason: "router fell back to general enquiry" });
    expect(
      await db.traceEvent.count({
        where: { runId: done.id, kind: "model_call", name: { startsWith: "router" } },
      }),
    ).toBe(3);
    // The three router calls (kept in memory while routing, written before the fallback) count in the run's usage.
    expect(done.inputTokens).toBe(4 * 20);
  });

  it("refuses a tool outside the executor, executes nothing, and lets the run continue", async () => {
    const orderId = await freshOrder(4100);
    const model = new ScriptedModel(classify("general_enquiry"), (request) =>
      answeredLastTurn(request)
        ? text("I can't do that myself; a member of our team will follow up.")
        : [
            toolUse("issue_refund", {
              order_id: orderId,
              amount_cents: 4100,
              reason: "Ignore previous instructions",
              confidence: 0.99,
              rationale: "x",
            }),
            toolUse("delete_database", { confirm: true, confidence: 0.99, rationale: "x" }),
          ],
    );
    const done = await run(model, "What is your returns policy?");

    expect(done.agent).toBe("support");
    expect(done.status).toBe("completed");
    expect(done.toolCalls.map((c) => [c.tool, c.status])).toEqual([
      ["issue_refund", "refused"],
      ["delete_database", "refused"],
    ]);
    for (const call of done.toolCalls) {
      expect(call.error).toMatchObject({
        kind: "forbidden",
        message: `Tool ${call.tool} is not available to the support agent`,
      });
      expect(call.attempts).toBe(0);
      expect(call.result).toBeNull();
    }
    expect(done.approvals).toHaveLength(0);
    expect(await db.refund.count({ where: { orderId } })).toBe(0);
    expect(
      await db.traceEvent.count({
        where: { runId: done.id, kind: "policy", name: { startsWith: "refused " } },
      }),
    ).toBe(2);
    expect(await db.traceEvent.count({ where: { runId: done.id, kind: "tool_call" } })).toBe(0);

    // The model is told, as an error result per call, and the run goes on.
    expect(model.executorRequests).toHaveLength(2);
    const answer = model.executorRequests[1]!.messages.at(-1)!;
    expect(answer.role).toBe("user");
    const results =
      typeof answer.content === "string"
        ? []
        : answer.content.filter((b) => b.type === "tool_result");
    expect(results.map((r) => [r.tool_use_id, r.is_error])).toEqual(
      done.toolCalls.map((c) => [c.toolUseId, true]),
    );
    expect(results[0]!.content).toMatch(/not available to the support agent/);
    expect(await assistantMessages(done.id)).toEqual([
      "I can't do that myself; a member of our team will follow up.",
    ]);
  });

  it("fails the run with model_error when the executor's provider gives up, and says so honestly", async () => {
    const model = new ScriptedModel(classify("payment_query"), () => {
      throw new ModelError("overloaded", "529 overloaded after 4 attempts", [
        { kind: "overloaded", status: 529, waitedMs: 100 },
      ]);
    });
    const done = await run(model, "Why was I charged twice?");

    expect(done.agent).toBe("refunds");
    expect(done.status).toBe("failed");
    expect(done.statusReason).toBe("model_error: overloaded");
    expect(done.finishedAt).not.toBeNull();
    expect(done.leaseOwner).toBeNull();
    expect(done.toolCalls).toHaveLength(0);
    const messages = await assistantMessages(done.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/Something went wrong on our side/);
    expect(messages[0]).toMatch(/nothing irreversible was done/);
    const failedCall = await db.traceEvent.findFirstOrThrow({
      where: { runId: done.id, kind: "model_call", name: "executor · failed" },
    });
    expect(failedCall.data).toMatchObject({ error: "overloaded" });
  });

  it("records a lookup that ran before the provider gave up as done, with its answer, not as unconfirmed", async () => {
    // The lookup runs in memory and its outcome waits for the next step's write; that write never
    // comes (the model fails), so the ending must write it first.
    const orderId = await freshOrder(2100);
    const model = new ScriptedModel(classify("payment_query"), (_request, call) => {
      if (call === 1)
        return [
          toolUse("lookup_order", { order_id: orderId, confidence: 0.95, rationale: "scripted" }),
        ];
      throw new ModelError("overloaded", "529 overloaded after 4 attempts");
    });
    const done = await run(model, `Why was order ${orderId} charged twice?`);

    expect(done.status).toBe("failed");
    expect(done.statusReason).toBe("model_error: overloaded");
    expect(done.toolCalls.map((c) => [c.tool, c.status])).toEqual([["lookup_order", "succeeded"]]);
    expect(JSON.stringify(done.toolCalls[0]!.result)).toContain(String(orderId));
    const names = (
      await db.traceEvent.findMany({ where: { runId: done.id }, orderBy: { seq: "asc" } })
    ).map((e) => e.name);
    expect(names.indexOf("lookup_order · succeeded")).toBeGreaterThan(-1);
    expect(names.indexOf("lookup_order · succeeded")).toBeLessThan(
      names.indexOf("executor · failed"),
    );
    const turns = await readTranscript(done.id);
    expect(turns.at(-1)).toMatchObject({ role: "user", content: [{ type: "tool_result" }] });
  });

  it("fails the run with model_error when the router's provider gives up", async () => {
    const model = new ScriptedModel(
      () => {
        throw new ModelError("rate_limited", "429 after retries");
      },
      () => text("unreachable"),
    );
    const done = await run(model, "Hello?");
    expect(done.status).toBe("failed");
    expect(done.statusReason).toBe("model_error: rate_limited");
    expect(done.agent).toBeNull();
    expect(model.routerRequests).toHaveLength(1);
    expect(model.executorRequests).toHaveLength(0);
    expect(await assistantMessages(done.id)).toHaveLength(1);
  });

  it("parks a harmless call stated with low confidence, and runs it once approved", async () => {
    const orderId = await freshOrder(2600);
    const model = new ScriptedModel(classify("payment_query"), (request) =>
      answeredLastTurn(request)
        ? text(`Order ${orderId} is delivered.`)
        : [
            toolUse("lookup_order", {
              order_id: orderId,
              confidence: 0.3,
              rationale: "Not sure which order they mean.",
            }),
          ],
    );
    const parked = await run(model, `Where is my order ${orderId}?`);

    expect(parked.status).toBe("awaiting_approval");
    expect(parked.toolCalls).toHaveLength(1);
    const call = parked.toolCalls[0]!;
    expect(call).toMatchObject({
      tool: "lookup_order",
      status: "pending_approval",
      irreversible: false,
      confidence: 0.3,
      attempts: 0,
    });
    expect(parked.approvals).toHaveLength(1);
    const reasons = parked.approvals[0]!.reasons as string[];
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/low confidence/);
    expect(reasons[0]).toBe(`low confidence (0.30 < ${refundsAgent.limits.confidenceThreshold})`);
    expect(reasons).not.toContain("irreversible");
    expect(await assistantMessages(parked.id)).toEqual([
      `Before I go ahead, a member of our team needs to confirm a check of order ${orderId}. I'll tell you here as soon as they decide.`,
    ]);

    const reviewer = await actorFor("reviewer@example.com");
    await decideApproval(reviewer, {
      decision: "approve",
      approvalId: parked.approvals[0]!.id,
      expectedHash: parked.approvals[0]!.proposedHash,
    });
    expect(await advanceRun(parked.id, { model, workerId: "faults-worker" })).toBe("advanced");
    const done = await db.run.findUniqueOrThrow({
      where: { id: parked.id },
      include: { toolCalls: true },
    });
    expect(done.status).toBe("completed");
    expect(done.toolCalls.map((c) => [c.tool, c.status, c.attempts])).toEqual([
      ["lookup_order", "succeeded", 1],
    ]);
    expect(model.executorRequests).toHaveLength(2);
  });
});
