import "server-only";
import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ModelError, type ModelResponse } from "@/lib/model/types";

// The recording hermetic replay serves back: every raw model answer (or failure) a run received,
// written in the transaction of the step's model_call trace event. Tool results are already
// recorded on tool_calls (result, error, attempts) and their retries as trace events.

export type ModelPurpose = "router" | "executor";

export async function recordModelResponse(tx: Tx, runId: string, purpose: ModelPurpose, provider: string, response: ModelResponse) {
  await tx.modelResponse.create({
    data: {
      runId,
      purpose,
      provider,
      model: response.model,
      content: response.content as unknown as Prisma.InputJsonValue,
      stopReason: response.stopReason,
      usage: response.usage as unknown as Prisma.InputJsonValue,
    },
  });
}

export async function recordModelFailure(tx: Tx, runId: string, purpose: ModelPurpose, provider: string, error: unknown) {
  const failure = error instanceof ModelError ? { kind: error.kind, message: error.message } : { kind: "unexpected", message: error instanceof Error ? error.message.slice(0, 300) : String(error) };
  await tx.modelResponse.create({ data: { runId, purpose, provider, error: failure } });
}
