import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { onCommit, type PgTransaction, type Tx } from "@/lib/db";
import { emitSpan } from "./otel";
import { log } from "@/lib/log";

// "agent": an event an external agent reported about itself (lib/external), shown as its claim.
export type TraceKind =
  | "transition"
  | "model_call"
  | "tool_call"
  | "policy"
  | "decision"
  | "limit"
  | "routing"
  | "watchdog"
  | "follow_up"
  | "agent"
  | "tool_cache"
  | "anomaly";

export type TraceInput = {
  runId: string;
  kind: TraceKind;
  name: string;
  toolCallId?: string;
  data?: Prisma.InputJsonValue;
  inputTokens?: number;
  outputTokens?: number;
  costMicros?: number;
  latencyMs?: number;
};

/** Writes one trace event; callers pass their transaction so the event commits with the change. */
export async function recordEvent(tx: Tx, event: TraceInput) {
  await tx.traceEvent.create({ data: { ...event, data: event.data ?? {} } });
  // Reported outside only once the event, and the change it records, has committed.
  onCommit(tx, () => reportCommitted(event));
}

/** The log line and span of an event that has committed (writers that batch events call it themselves). */
export function reportCommitted(event: TraceInput) {
  logEvent(event);
  emitSpan(event);
}

/**
 * Log line and span for an event the caller inserted itself (a statement that writes several
 * changes at once); reported outside only once the event, and the change it records, has committed.
 */
export function reportAfterCommit(tx: Tx | PgTransaction, event: TraceInput) {
  onCommit(tx, () => reportCommitted(event));
}

// One log line per event, without arguments or results (they may hold personal data); the
// logger masks the reviewer's email that a decision's name carries ("approved by …").
function logEvent(e: TraceInput) {
  if (process.env.NODE_ENV === "test") return;
  log.info("trace", {
    run: e.runId,
    kind: e.kind,
    name: e.name,
    ...(e.latencyMs !== undefined && { latency_ms: e.latencyMs }),
    ...(e.inputTokens !== undefined && {
      input_tokens: e.inputTokens,
      output_tokens: e.outputTokens,
    }),
  });
}
