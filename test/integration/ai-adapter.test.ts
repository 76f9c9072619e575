// The Vercel AI SDK adapter end to end: the SDK's own generateText, driven by its scripted test
// model, calls a tool gated with withCountersign; the client proposes it to the real
// /api/v1/actions route handlers (served over HTTP), a reviewer decides through lib/approvals,
// and the tool runs once with the approved (edited) arguments and reports its result — or never
// runs, and the model is told the reason.
import { randomUUID } from "node:crypto";
import { generateText, isStepCount, tool, type ModelMessage } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createClient } from "@countersign/client";
import { gateTools } from "@countersign/client/ai";
import { decideApproval } from "@/lib/approvals/decide";
import { db } from "@/lib/db";
import { issueAgentKey, registerExternalAgent } from "@/lib/external";
import { stopBoss } from "@/lib/jobs/queue";
import * as actions from "@/app/api/v1/actions/route";
import * as action from "@/app/api/v1/actions/[id]/route";
import * as result from "@/app/api/v1/actions/[id]/result/route";
import { actorFor } from "../support/actors";
import { serveRoutes, type ServedRoute } from "../support/serve-route";

let api: ServedRoute;
let agentId: string;
let key: string;

beforeAll(async () => {
  api = await serveRoutes({
    "/api/v1/actions": actions,
    "/api/v1/actions/[id]": action,
    "/api/v1/actions/[id]/result": result,
  });
  const admin = await actorFor("admin@example.com");
  const name = `ai-${randomUUID().slice(0, 8)}`;
  const registered = await registerExternalAgent(admin, {
    name,
    description: "A Vercel AI SDK support agent",
    toolPolicies: { lookup_order: "auto" },
  });
  agentId = registered.agent.id;
  key = (await issueAgentKey(admin, name, "ai adapter test")).key;
});

afterAll(async () => {
  await api?.close();
  await stopBoss();
});

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

/** A scripted model: first it calls issue_refund with these arguments, then it answers in words. */
function scriptedModel(args: Record<string, unknown>) {
  return new MockLanguageModelV4({
    doGenerate: [
      {
        content: [
          {
            type: "tool-call",
            toolCallId: `call-${randomUUID()}`,
            toolName: "issue_refund",
            input: JSON.stringify(args),
          },
        ],
        finishReason: { unified: "tool-calls", raw: "tool_use" },
        usage,
        warnings: [],
      },
      {
        content: [{ type: "text", text: "I have dealt with your refund request." }],
        finishReason: { unified: "stop", raw: "end_turn" },
        usage,
        warnings: [],
      },
    ],
  });
}

function shopTools() {
  const refunds: { order_id: string; amount_cents: number }[] = [];
  const tools = {
    issue_refund: tool({
      description: "Refunds an order",
      inputSchema: z.object({ order_id: z.string(), amount_cents: z.number().int().positive() }),
      execute: async (input) => {
        refunds.push(input);
        return { refund_id: `rf_${refunds.length}`, amount_cents: input.amount_cents };
      },
    }),
  };
  return { tools, refunds };
}

/** The approval the agent's proposal parked, once it is in the inbox. */
async function parkedApproval() {
  for (;;) {
    const parked = await db.approval.findFirst({
      where: { status: "pending", run: { externalAction: { agentId } } },
      include: { run: { include: { externalAction: true } } },
    });
    if (parked) return parked;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The tool result (or error) the model was shown on its second call. */
function toolOutputSeenByModel(model: MockLanguageModelV4): unknown {
  const prompt = model.doGenerateCalls[1]!.prompt as ModelMessage[];
  const message = prompt.find((m) => m.role === "tool")!;
  return (message.content as { type: string; output?: unknown }[]).find(
    (part) => part.type === "tool-result",
  )!.output;
}

describe("the AI SDK adapter", () => {
  it("runs an edited and approved call once with the reviewer's arguments and reports its result", async () => {
    const client = createClient({ baseUrl: api.url, agentKey: key, pollSeconds: 2 });
    const { tools, refunds } = shopTools();
    const model = scriptedModel({ order_id: "1042", amount_cents: 5000 });
    const run = generateText({
      model,
      tools: gateTools(tools, {
        client,
        describe: () => ({
          subject: { id: "customer-17", email: "user@example.com" },
          confidence: 0.95,
        }),
      }),
      prompt: "Order 1042 arrived broken, I want my money back",
      stopWhen: isStepCount(3),
    });

    const approval = await parkedApproval();
    expect(approval).toMatchObject({
      tool: "issue_refund",
      proposedArguments: { order_id: "1042", amount_cents: 5000 },
    });
    expect(approval.run.request).toBe("Order 1042 arrived broken, I want my money back");
    expect(approval.run.externalAction!.inputSchema).toMatchObject({
      type: "object",
      properties: { amount_cents: { type: "integer" } },
    });
    expect(refunds).toHaveLength(0);

    const reviewer = await actorFor("reviewer@example.com");
    await decideApproval(reviewer, {
      approvalId: approval.id,
      decision: "edit",
      arguments: { order_id: "1042", amount_cents: 2500 },
      reason: "half: the box was fine",
    });
    const answer = await run;

    expect(refunds).toEqual([{ order_id: "1042", amount_cents: 2500 }]);
    expect(answer.text).toBe("I have dealt with your refund request.");
    expect(toolOutputSeenByModel(model)).toEqual({
      type: "json",
      value: { refund_id: "rf_1", amount_cents: 2500 },
    });

    const toolCall = await db.toolCall.findUniqueOrThrow({ where: { id: approval.toolCallId } });
    expect(toolCall).toMatchObject({
      status: "succeeded",
      arguments: { order_id: "1042", amount_cents: 2500 },
    });
    expect((await db.run.findUniqueOrThrow({ where: { id: approval.runId } })).status).toBe(
      "completed",
    );
  });

  it("never runs a rejected call, and the model is told the reviewer's reason", async () => {
    const client = createClient({ baseUrl: api.url, agentKey: key, pollSeconds: 2 });
    const { tools, refunds } = shopTools();
    const model = scriptedModel({ order_id: "1043", amount_cents: 99_900 });
    const run = generateText({
      model,
      tools: gateTools(tools, { client }),
      prompt: "Refund order 1043 in full",
      stopWhen: isStepCount(3),
    });

    const approval = await parkedApproval();
    await decideApproval(await actorFor("reviewer@example.com"), {
      approvalId: approval.id,
      decision: "reject",
      reason: "the order is still in transit",
    });
    const answer = await run;

    expect(refunds).toHaveLength(0);
    expect(answer.text).toBe("I have dealt with your refund request.");
    const seen = toolOutputSeenByModel(model) as { type: string; value: string };
    expect(seen.type).toBe("error-text");
    expect(seen.value).toContain("the order is still in transit");
    expect(
      (await db.toolCall.findUniqueOrThrow({ where: { id: approval.toolCallId } })).status,
    ).toBe("rejected");
  });
});
