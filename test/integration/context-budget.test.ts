// Bounded context: a long run whose naive message history would overflow the agent's context
// budget stays under it on every model call, the pinned request is never evicted, and a large
// result kept out of the prompt comes back in full by reference.
import { afterAll, describe, expect, it } from "vitest";
import { defaultSettings, saveSettings } from "@/lib/agent-settings/settings";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import type {
  ChatMessage,
  ContentBlock,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ToolResultBlock,
} from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { estimateTokens } from "@/lib/runtime/prompt";
import { RECALL_TOOL } from "@/lib/runtime/recall";
import { readTranscript } from "@/lib/runtime/transcript";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

afterAll(async () => {
  await stopBoss();
});

type Script = (request: ModelRequest, step: number) => ContentBlock[];

/** An in-process model: classifies every turn as a payment query, then plays the executor script. */
class ScriptedModel implements ModelProvider {
  readonly name = "scripted-budget";
  readonly executorRequests: ModelRequest[] = [];

  constructor(private readonly executor: Script) {}

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const seen = structuredClone(request);
    const isRouter = request.toolChoice?.type === "tool";
    if (!isRouter) this.executorRequests.push(seen);
    const content: ContentBlock[] = isRouter
      ? [
          {
            type: "tool_use",
            id: `toolu_route_${++ids}`,
            name: "classify_intent",
            input: { intent: "payment_query", confidence: 0.9, rationale: "scripted" },
          },
        ]
      : this.executor(seen, this.executorRequests.length);
    return {
      model: "scripted-budget-model",
      content,
      stopReason: content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn",
      usage: {
        inputTokens: promptTokens(seen),
        outputTokens: estimateTokens(content),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
      retries: [],
    };
  }
}

let ids = 0;
const call = (name: string, input: Record<string, unknown>): ContentBlock[] => [
  {
    type: "tool_use",
    id: `toolu_budget_${++ids}`,
    name,
    input: { ...input, confidence: 0.95, rationale: "scripted" },
  },
];

/** What the runtime counts against the budget: system prompt, tool definitions and messages. */
const promptTokens = (r: { system: string; tools?: unknown; messages: ChatMessage[] }) =>
  estimateTokens(r.system) + estimateTokens(r.tools ?? []) + estimateTokens(r.messages);

const toolResults = (m: ChatMessage | undefined): ToolResultBlock[] =>
  m?.role === "user" && typeof m.content !== "string"
    ? m.content.filter((b): b is ToolResultBlock => b.type === "tool_result")
    : [];

/** An order of the test customer whose lookup result is several thousand characters long. */
async function orderWithManyItems(): Promise<number> {
  const orderId = await freshOrder(9_900);
  const items = Array.from({ length: 30 }, (_, i) => ({
    sku: `BULK-${orderId}-${i}`,
    name: `Assorted spare part number ${i} for the kitchen appliance range`,
    qty: 1,
    cents: 330,
  }));
  await db.order.update({ where: { id: orderId }, data: { items } });
  return orderId;
}

async function startRun(model: ModelProvider, text: string) {
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, { text });
  expect(await advanceRun(runId, { model, workerId: "context-budget" })).toBe("advanced");
  return db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { toolCalls: { orderBy: { createdAt: "asc" } } },
  });
}

describe("bounded context", () => {
  it(
    "keeps every call of a 30-step run under the context budget that its naive history overflows",
    { timeout: 60_000 },
    async () => {
      const STEPS = 30;
      const BUDGET = 4_000;
      const admin = await actorFor("admin@example.com");
      const defaults = defaultSettings("refunds");
      await saveSettings(admin, {
        agent: "refunds",
        settings: {
          ...defaults,
          maxIterations: 40,
          loopThreshold: 20,
          contextBudgetTokens: BUDGET,
          maxTokensPerRun: 1_000_000,
        },
        reason: "test: a long run under a small context budget",
      });
      try {
        const orders: number[] = [];
        for (let i = 0; i < 10; i++) orders.push(await orderWithManyItems());
        const model = new ScriptedModel((_request, step) => {
          if (step > STEPS)
            return [
              {
                type: "text",
                text: `All ${orders.length} orders are delivered and none has a refund yet.`,
              },
            ];
          const orderId = orders[(step - 1) % orders.length]!;
          // Two lookups and one refund listing per order: large results, and no call repeated often enough to be a loop.
          return call(step % 3 === 0 ? "list_refunds" : "lookup_order", { order_id: orderId });
        });
        const request = `Please check the status and refunds of my orders ${orders.join(", ")}`;
        const run = await startRun(model, request);

        expect(run.status).toBe("completed");
        expect(run.iterations).toBe(STEPS + 1);
        expect(run.toolCalls).toHaveLength(STEPS);
        expect(run.toolCalls.every((c) => c.status === "succeeded")).toBe(true);
        const largest = Math.max(...run.toolCalls.map((c) => JSON.stringify(c.result).length));
        expect(largest).toBeGreaterThan(1_500);

        const requests = model.executorRequests;
        expect(requests).toHaveLength(STEPS + 1);
        const transcript = await readTranscript(run.id);
        expect(transcript).toHaveLength(1 + 2 * STEPS + 1);
        const fixed =
          estimateTokens(requests[0]!.system) + estimateTokens(requests[0]!.tools ?? []);
        const events = await db.traceEvent.findMany({
          where: { runId: run.id, kind: "model_call", name: { startsWith: "executor" } },
          orderBy: { seq: "asc" },
        });
        expect(events).toHaveLength(requests.length);

        const rows = requests.map((r, i) => {
          const data = events[i]!.data as { estimatedPromptTokens: number; foldedSteps: number };
          return {
            call: i + 1,
            naive: fixed + estimateTokens(transcript.slice(0, 1 + 2 * i)),
            sent: promptTokens(r),
            traced: data.estimatedPromptTokens,
            inputTokens: events[i]!.inputTokens!,
            folded: data.foldedSteps,
            previews: r.messages
              .flatMap(toolResults)
              .filter((b) => b.content.includes("stored as ref")).length,
          };
        });
        console.log(
          [
            `per-call input tokens (context budget ${BUDGET})`,
            "call | naive history | input tokens | folded steps | previews",
            ...rows.map(
              (r) =>
                `${String(r.call).padStart(4)} | ${String(r.naive).padStart(13)} | ${String(r.inputTokens).padStart(12)} | ${String(r.folded).padStart(12)} | ${r.previews}`,
            ),
          ].join("\n"),
        );

        for (const row of rows) {
          expect(row.sent, `call ${row.call}`).toBeLessThanOrEqual(BUDGET);
          // The runtime's own estimate is of exactly what the model received.
          expect(row.traced, `call ${row.call}`).toBe(row.sent);
        }
        // The naive transcript would have overflowed the budget long before the end.
        expect(fixed + estimateTokens(transcript)).toBeGreaterThan(2 * BUDGET);
        expect(rows.filter((r) => r.naive > BUDGET).length).toBeGreaterThan(STEPS / 2);
        // Both kinds of compaction did work: previews of large results, and folded older steps.
        expect(rows.filter((r) => r.folded > 0).length).toBeGreaterThan(5);
        expect(rows.some((r) => r.previews > 0)).toBe(true);

        // The pinned request is still the first message of the last call, and the latest step is verbatim.
        const last = requests.at(-1)!;
        const pinned = last.messages[0]!;
        expect(pinned.role).toBe("user");
        const firstText =
          typeof pinned.content === "string"
            ? pinned.content
            : pinned.content[0]?.type === "text"
              ? pinned.content[0].text
              : undefined;
        expect(firstText).toBe(request);
        expect(JSON.stringify(pinned.content)).toMatch(/Earlier steps, summarised/);
        expect(toolResults(last.messages.at(-1)).map((b) => b.tool_use_id)).toEqual([
          run.toolCalls.at(-1)!.toolUseId,
        ]);
      } finally {
        await saveSettings(admin, {
          agent: "refunds",
          settings: defaults,
          reason: "test: restore defaults",
        });
      }
    },
  );

  it("shows a large result as a preview, and recall_result brings it back in full by its ref", async () => {
    const orderId = await orderWithManyItems();
    let ref: string | undefined;
    const model = new ScriptedModel((request, step) => {
      if (step === 1) return call("lookup_order", { order_id: orderId });
      if (step === 2) {
        const preview = toolResults(request.messages.at(-1))[0]!;
        ref = /stored as ref "([^"]+)"/.exec(preview.content)?.[1];
        return call(RECALL_TOOL, { ref: ref ?? "missing" });
      }
      return [{ type: "text", text: `Order ${orderId} has 30 items and is delivered.` }];
    });
    const run = await startRun(model, `What is in order ${orderId}?`);

    expect(run.status).toBe("completed");
    const [lookup, recall] = run.toolCalls;
    expect(ref).toBe(lookup!.toolUseId);
    expect(recall).toMatchObject({ tool: RECALL_TOOL, status: "succeeded", arguments: { ref } });
    expect(recall!.result).toEqual(lookup!.result);

    const [, second, third] = model.executorRequests;
    const previewed = toolResults(second!.messages.at(-1))[0]!;
    expect(previewed.content).toMatch(new RegExp(`stored as ref "${ref}": call ${RECALL_TOOL}`));
    expect(previewed.content.length).toBeLessThan(1_000);
    // In the next call the lookup is still a preview, while the recalled copy is shown in full.
    const messages = third!.messages;
    expect(toolResults(messages.at(-3))[0]!.content).toMatch(/stored as ref/);
    const recalled = toolResults(messages.at(-1))[0]!;
    expect(recalled.tool_use_id).toBe(recall!.toolUseId);
    expect(recalled.content).not.toMatch(/stored as ref/);
    expect(recalled.content.length).toBeGreaterThan(1_500);
    const payload = /^<tool-output boundary="[0-9a-f]{16}">\n([\s\S]*)\n<\/tool-output/.exec(
      recalled.content,
    )?.[1];
    expect(JSON.parse(payload!)).toEqual(lookup!.result);
  });
});
