// Countersign's engine in process: advanceRun on runs created as a chat turn creates them, with
// the scripted instant model and the refunds agent's lookup_order answered at once.
import { registry } from "@/lib/agents";
import { defaultSettings } from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import type { ContentBlock, ModelProvider, ModelRequest, ModelResponse } from "@/lib/model/types";
import "@/lib/features";
import { advanceRun } from "@/lib/runtime/advance";
import { instantLookup, markModelCall, nextStep, requestText, stepsOf, toolUseId } from "./script";

class ScriptedInstantModel implements ModelProvider {
  readonly name = "bench-scripted";
  async complete(request: ModelRequest): Promise<ModelResponse> {
    const content = request.toolChoice?.type === "tool" ? route() : this.executor(request);
    return {
      model: "bench-instant",
      content,
      stopReason: content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn",
      usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 },
      retries: [],
    };
  }
  private executor(request: ModelRequest): ContentBlock[] {
    const pinned = request.messages[0]!;
    const text =
      typeof pinned.content === "string"
        ? pinned.content
        : pinned.content.map((b) => (b.type === "text" ? b.text : "")).join(" ");
    markModelCall(text);
    const steps = stepsOf(text);
    const last = request.messages.at(-1)!;
    const answered =
      last.role === "user" && typeof last.content !== "string"
        ? last.content.find((b) => b.type === "tool_result")
        : undefined;
    const step = nextStep(answered?.type === "tool_result" ? answered.tool_use_id : undefined);
    if (step >= steps) return [{ type: "text", text: `Looked up ${steps - 1} orders.` }];
    const tag = Math.random().toString(36).slice(2, 10);
    return [
      {
        type: "tool_use",
        id: toolUseId(tag, step),
        name: "lookup_order",
        input: { order_id: 1000 + step, confidence: 0.95, rationale: "bench" },
      },
    ];
  }
}

let routed = 0;
const route = (): ContentBlock[] => [
  {
    type: "tool_use",
    id: `bench_route_${++routed}`,
    name: "classify_intent",
    input: { intent: "payment_query", confidence: 0.9, rationale: "bench" },
  },
];

export async function countersignEngine() {
  // The auto tool answers at once, as LangGraph's does: the engine is measured, not the demo shop.
  // Nor its cache: LangGraph's tool has none, and a cacheable read (the demo's lookup_order
  // declares one) adds a lookup statement per call, with its trace event.
  const lookup = registry.tool("refunds", "lookup_order")!;
  Object.assign(lookup, {
    execute: async (input: { order_id: number }) => instantLookup(input.order_id),
    cache: undefined,
  });
  const user = await db.user.findUniqueOrThrow({ where: { email: "user@example.com" } });
  const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
  const latest = await db.agentConfig.findFirst({
    where: { agent: "refunds" },
    orderBy: { version: "desc" },
  });
  await db.agentConfig.create({
    data: {
      agent: "refunds",
      version: (latest?.version ?? 0) + 1,
      settings: {
        ...defaultSettings("refunds"),
        maxIterations: 200,
        loopThreshold: 200,
        maxTokensPerRun: 100_000_000,
        maxCostMicros: 100_000_000,
        deadlineSeconds: 3_600,
      },
      reason: "bench: long runs of distinct lookups",
      createdById: admin.id,
    },
  });
  const conversation = await db.conversation.create({ data: { userId: user.id } });
  const model = new ScriptedInstantModel();
  let worker = 0;
  // Runs advanced but not checked yet: checked in one read after each measurement (verify), as
  // reading each back is the benchmark's bookkeeping, not the engine's work (LangGraph's check
  // reads the state its invoke returns, in memory).
  const advanced: { id: string; steps: number }[] = [];
  return {
    name: "Countersign",
    async run(steps: number) {
      const run = await db.run.create({
        data: {
          conversationId: conversation.id,
          userId: user.id,
          request: requestText(steps),
          modelProvider: model.name,
          deadlineAt: new Date(Date.now() + 3_600_000),
        },
      });
      const t = performance.now();
      await advanceRun(run.id, { model, workerId: `bench-${++worker}` });
      const elapsed = performance.now() - t;
      advanced.push({ id: run.id, steps });
      return elapsed;
    },
    async verify() {
      const checked = advanced.splice(0);
      const done = await db.run.findMany({
        where: { id: { in: checked.map((r) => r.id) } },
        select: { id: true, status: true, iterations: true, statusReason: true },
      });
      const byId = new Map(done.map((r) => [r.id, r]));
      for (const { id, steps } of checked) {
        const run = byId.get(id);
        if (run?.status !== "completed" || run.iterations !== steps)
          throw new Error(
            `Countersign run ended ${run?.status} after ${run?.iterations} steps (${run?.statusReason})`,
          );
      }
    },
    close: () => db.$disconnect(),
  };
}
