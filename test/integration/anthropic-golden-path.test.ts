import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { AnthropicProvider } from "@/lib/model/anthropic";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { startFakeAnthropic, type FakeAnthropic } from "../support/fake-anthropic";
import { freshOrder } from "../support/orders";

// The same golden path as the offline model, on the real Anthropic SDK over HTTP, against a
// loopback server that answers like the Messages API (including a 429 on the way).
let fake: FakeAnthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
  await stopBoss();
});

describe("golden path on the Anthropic provider", () => {
  it("routes, looks up, parks the refund, and completes once approved", async () => {
    const model = new AnthropicProvider({
      apiKey: "sk-test-key",
      baseURL: fake.url,
      sleep: async () => {},
    });
    const deps = { model, workerId: "anthropic-test" };
    const orderId = await freshOrder(2450);
    fake.enqueue(
      { kind: "error", status: 429, retryAfterSeconds: 1 },
      {
        kind: "message",
        content: [
          fake.toolUse("classify_intent", {
            intent: "refund_request",
            confidence: 0.94,
            rationale: "Broken item",
          }),
        ],
        stopReason: "tool_use",
      },
      {
        kind: "message",
        content: [
          fake.toolUse("lookup_order", {
            order_id: orderId,
            confidence: 0.97,
            rationale: "Check the order",
          }),
        ],
        stopReason: "tool_use",
      },
      {
        kind: "message",
        content: [
          fake.text("I'll ask for the refund."),
          fake.toolUse("issue_refund", {
            order_id: orderId,
            amount_cents: 2450,
            reason: "Arrived broken",
            confidence: 0.9,
            rationale: "Matches policy",
          }),
        ],
        stopReason: "tool_use",
        usage: { cache_read_input_tokens: 1200 },
      },
    );
    const user = await actorFor("user@example.com");
    const { runId } = await startTurn(user, {
      text: `Order ${orderId} arrived broken, refund please`,
    });
    await advanceRun(runId, deps);

    const parked = await db.run.findUniqueOrThrow({
      where: { id: runId },
      include: { approvals: true, events: { orderBy: { seq: "asc" } } },
    });
    expect(parked.status).toBe("awaiting_approval");
    expect(parked.modelProvider).toBe("offline-demo"); // the app-wide provider; this test injects its own
    const routerRequest = fake.requests[1]!;
    expect(routerRequest.tool_choice).toEqual({ type: "tool", name: "classify_intent" });
    expect(routerRequest.model).toBe("claude-haiku-5-5");
    const executorRequest = fake.requests[2]!;
    expect(executorRequest.model).toBe("claude-sonnet-5-5");
    expect(JSON.stringify(executorRequest.system)).toContain("ephemeral");
    const modelCalls = parked.events.filter((e) => e.kind === "model_call");
    expect(modelCalls).toHaveLength(3);
    expect(modelCalls[0]!.data).toMatchObject({
      provider: "anthropic",
      retries: [expect.objectContaining({ kind: "rate_limited", status: 429 })],
    });
    expect(modelCalls[2]!.data).toMatchObject({ cacheReadTokens: 1200 });
    expect(parked.costMicros).toBeGreaterThan(0);

    // The tool result went back to the model as spotlighted data.
    const toolResultTurn = JSON.stringify(fake.requests[3]!.messages);
    expect(toolResultTurn).toMatch(/<tool-output boundary=\\"[0-9a-f]{16}\\">/);

    // What the model wrote beside the parked call reaches the customer at once, then what waits, in their words.
    const told = await db.message.findMany({
      where: { runId, author: "assistant" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    expect(told.map((m) => m.text)).toEqual([
      "I'll ask for the refund.",
      `Before I go ahead, a member of our team needs to confirm a refund of €24.50 for order ${orderId}. I'll tell you here as soon as they decide.`,
    ]);

    fake.enqueue({
      kind: "message",
      content: [fake.text("Your refund of €24.50 is done.")],
      stopReason: "end_turn",
    });
    const reviewer = await actorFor("reviewer@example.com");
    await decideApproval(reviewer, { decision: "approve", approvalId: parked.approvals[0]!.id });
    await advanceRun(runId, deps);

    const done = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(done.status).toBe("completed");
    expect(await db.refund.count({ where: { orderId } })).toBe(1);
    const reply = await db.message.findFirstOrThrow({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "desc" },
    });
    expect(reply.text).toBe("Your refund of €24.50 is done.");
    expect(fake.apiKeys.every((k) => k === "sk-test-key")).toBe(true);
  });
});
