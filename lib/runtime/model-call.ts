import "server-only";
import { db } from "@/lib/db";
import { costMicros } from "@/lib/model/pricing";
import {
  ModelError,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
} from "@/lib/model/types";
import { recordEvent, type TraceInput } from "@/lib/trace/events";
import type { Prisma } from "@/lib/generated/prisma/client";

export type ModelCallRecord = {
  response: ModelResponse;
  /** What the call adds to the run's usage. */
  usage: { iterations: number; inputTokens: number; outputTokens: number; costMicros: number };
  /** Its trace event, for the caller to write with the change it causes (it carries the raw answer, for replay). */
  event: Omit<TraceInput, "runId">;
};

/**
 * One model call, timed and priced. A failed call's trace event is written here (nothing else
 * changes); a successful one is returned with its usage and event for the step to write.
 */
export async function invokeModel(
  model: ModelProvider,
  runId: string,
  purpose: "router" | "executor",
  request: ModelRequest,
  context: { estimatedPromptTokens?: number; foldedSteps?: number } = {},
  /** Writes what the run did before this call (unsaved in-memory results), so the trace keeps the order things happened in. */
  beforeFailureRecorded?: () => Promise<void>,
): Promise<ModelCallRecord> {
  const started = performance.now();
  let response: ModelResponse;
  try {
    response = await model.complete(request);
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    // The run ends on this failure: what it did before the call is written first, as it went.
    await beforeFailureRecorded?.().catch(() => {});
    await db.$transaction((tx) =>
      recordEvent(tx, {
        runId,
        kind: "model_call",
        name: `${purpose} · failed`,
        latencyMs,
        data: {
          provider: model.name,
          error: error instanceof ModelError ? error.kind : "unexpected",
          message: error instanceof Error ? error.message.slice(0, 300) : String(error),
          retries: error instanceof ModelError ? error.retries : [],
        },
      }),
    );
    throw error;
  }
  const latencyMs = Math.round(performance.now() - started);
  const cost = model.name === "anthropic" ? costMicros(response.model, response.usage) : 0;
  return {
    response,
    usage: {
      iterations: purpose === "executor" ? 1 : 0,
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costMicros: cost,
    },
    event: {
      kind: "model_call",
      name: `${purpose} · ${response.model}`,
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costMicros: cost,
      latencyMs,
      data: {
        provider: model.name,
        model: response.model,
        stopReason: response.stopReason,
        cacheReadTokens: response.usage.cacheReadTokens,
        retries: response.retries,
        toolUses: response.content.filter((b) => b.type === "tool_use").map((b) => b.name),
        ...context,
        // The raw answer: what hermetic replay (lib/replay) serves back, written with the step.
        answer: {
          content: response.content as unknown as Prisma.InputJsonValue,
          stopReason: response.stopReason,
          usage: response.usage,
        },
      },
    },
  };
}
