import "server-only";
import { ToolError, TOOL_ERROR_KINDS, type ToolErrorKind } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import type { Approval, ToolCall } from "@/lib/generated/prisma/client";
import {
  ModelError,
  type ContentBlock,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
  type Usage,
} from "@/lib/model/types";

// A recorded run as replay serves it: its model answers in order (each model_call trace event
// carries its raw answer, or its error), each tool call's attempts and outcome, and each parked
// call's decision.

type RecordedFailure = { kind: string; message: string };
export type RecordedCall = ToolCall & {
  approval: Approval | null;
  failedAttempts: RecordedFailure[];
  decisionName: string | null;
};
export type RecordedAnswer = {
  purpose: "router" | "executor";
  model: string | null;
  answer: { content: ContentBlock[]; stopReason: StopReason; usage: Usage } | null;
  error: RecordedFailure | null;
};
export type Recording = {
  runId: string;
  provider: string;
  responses: RecordedAnswer[];
  calls: RecordedCall[];
};

/** The model answers a run received, in order, from its model_call trace events. */
export async function recordedAnswers(runId: string): Promise<RecordedAnswer[]> {
  const events = await db.traceEvent.findMany({
    where: { runId, kind: "model_call" },
    orderBy: { seq: "asc" },
    select: { name: true, data: true },
  });
  return events.map(({ name, data }) => {
    const d = (data ?? {}) as {
      model?: string;
      answer?: RecordedAnswer["answer"];
      error?: string;
      message?: string;
    };
    const purpose = name.startsWith("router") ? "router" : "executor";
    const failed = name.endsWith("· failed");
    return {
      purpose,
      model: d.model ?? null,
      answer: failed ? null : (d.answer ?? null),
      error: failed ? { kind: d.error ?? "server_error", message: d.message ?? "failed" } : null,
    };
  });
}

export async function loadRecording(runId: string): Promise<Recording> {
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    select: { id: true, modelProvider: true },
  });
  const [responses, calls, events] = await Promise.all([
    recordedAnswers(runId),
    db.toolCall.findMany({
      where: { runId },
      include: { approval: true },
      orderBy: { createdAt: "asc" },
    }),
    db.traceEvent.findMany({
      where: { runId, kind: { in: ["tool_call", "decision"] } },
      orderBy: { seq: "asc" },
      select: { kind: true, name: true, toolCallId: true, data: true },
    }),
  ]);
  return {
    runId,
    provider: run.modelProvider,
    responses,
    calls: calls.map((call) => ({
      ...call,
      // "lookup_order · rate_limited, retrying": one event per failed attempt that was retried.
      failedAttempts: events
        .filter(
          (e) =>
            e.kind === "tool_call" && e.toolCallId === call.id && e.name.endsWith(", retrying"),
        )
        .map((e) => e.data as RecordedFailure),
      decisionName:
        events.find((e) => e.kind === "decision" && e.toolCallId === call.id)?.name ?? null,
    })),
  };
}

const MODEL_ERROR_KINDS = [
  "rate_limited",
  "overloaded",
  "server_error",
  "timeout",
  "bad_request",
  "auth",
  "connection",
] as const;

/**
 * A model that answers with the recording, in order. Where it stands is the number of model calls
 * the scratch run has already recorded, so a replay resumed by another worker carries on where it was.
 * An engine that asks for another answer, or asks the router where the executor was asked, gets
 * a model error naming the divergence, which the trace comparison then shows.
 */
export function recordedModel(recording: Recording, scratchRunId: string): ModelProvider {
  return {
    name: recording.provider,
    async complete(request: ModelRequest): Promise<ModelResponse> {
      const served = await db.traceEvent.count({
        where: { runId: scratchRunId, kind: "model_call" },
      });
      const next = recording.responses[served];
      const purpose = request.toolChoice?.type === "tool" ? "router" : "executor";
      if (!next)
        throw new ModelError(
          "bad_request",
          `replay: the recording holds ${recording.responses.length} model answers and the engine asked for another (${purpose})`,
        );
      if (next.purpose !== purpose)
        throw new ModelError(
          "bad_request",
          `replay: model answer ${served + 1} was recorded for the ${next.purpose}, and the engine asked the ${purpose}`,
        );
      const error =
        next.error ??
        (next.answer
          ? null
          : {
              kind: "bad_request",
              message: `replay: model answer ${served + 1} was not recorded`,
            });
      if (error) {
        const kind = (MODEL_ERROR_KINDS as readonly string[]).includes(error.kind)
          ? (error.kind as ModelError["kind"])
          : "server_error";
        throw new ModelError(kind, error.message);
      }
      const { content, stopReason, usage } = next.answer!;
      return { model: next.model ?? request.model, content, stopReason, usage, retries: [] };
    },
  };
}

const toolErrorKind = (kind: string): ToolErrorKind =>
  (TOOL_ERROR_KINDS as readonly string[]).includes(kind)
    ? (kind as ToolErrorKind)
    : "upstream_error";

/** The recorded call the engine's call corresponds to: the same tool_use id (the model's answers are the recording's), tool and arguments. */
export function recordedCallFor(
  recording: Recording,
  call: Pick<ToolCall, "toolUseId" | "tool" | "argsHash">,
): RecordedCall | undefined {
  return recording.calls.find(
    (c) => c.toolUseId === call.toolUseId && c.tool === call.tool && c.argsHash === call.argsHash,
  );
}

/**
 * Serves one recorded call's attempts: each attempt that failed and was retried fails again the
 * same way (without a retry-after, so replay does not wait longer than it must), then the final
 * outcome: the recorded result, or the recorded error.
 */
export function servedAttempts(
  recorded: Pick<RecordedCall, "failedAttempts" | "status" | "result" | "error">,
) {
  let attempt = 0;
  return async (): Promise<unknown> => {
    attempt++;
    const failure = recorded.failedAttempts[attempt - 1];
    if (failure) throw new ToolError(toolErrorKind(failure.kind), failure.message);
    if (recorded.status === "succeeded") return recorded.result;
    const error = (recorded.error ?? {
      kind: "upstream_error",
      message: `recorded as ${recorded.status}`,
    }) as RecordedFailure;
    throw new ToolError(toolErrorKind(error.kind), error.message);
  };
}
