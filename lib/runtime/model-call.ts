import "server-only";
import { db } from "@/lib/db";
import { costMicros } from "@/lib/model/pricing";
import { ModelError, type ModelProvider, type ModelRequest, type ModelResponse } from "@/lib/model/types";
import { recordModelFailure, recordModelResponse } from "@/lib/replay/recording";
import { recordEvent } from "@/lib/trace/events";

/** One model call: timed, priced, traced, and added to the run's usage. */
export async function callModel(
  model: ModelProvider,
  runId: string,
  purpose: "router" | "executor",
  request: ModelRequest,
  context: { estimatedPromptTokens?: number; foldedSteps?: number } = {},
): Promise<ModelResponse> {
  const started = performance.now();
  try {
    const response = await model.complete(request);
    const latencyMs = Math.round(performance.now() - started);
    const cost = model.name === "anthropic" ? costMicros(response.model, response.usage) : 0;
    await db.$transaction(async (tx) => {
      await tx.run.update({
        where: { id: runId },
        data: {
          inputTokens: { increment: response.usage.inputTokens },
          outputTokens: { increment: response.usage.outputTokens },
          costMicros: { increment: cost },
          ...(purpose === "executor" && { iterations: { increment: 1 } }),
        },
      });
      await recordEvent(tx, {
        runId,
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
        },
      });
      // Replay (lib/replay): the raw answer, recorded with its step.
      await recordModelResponse(tx, runId, purpose, model.name, response);
    });
    return response;
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    await db.$transaction(async (tx) => {
      await recordEvent(tx, {
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
      });
      // Replay (lib/replay): the failure, recorded with its step.
      await recordModelFailure(tx, runId, purpose, model.name, error);
    });
    throw error;
  }
}
