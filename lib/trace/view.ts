import type { TraceEvent } from "@/lib/generated/prisma/client";

/** A trace event as the console shows it. */
export type TraceEventView = {
  id: string;
  kind: string;
  name: string;
  data: unknown;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number | null;
  costMicros: number | null;
  at: string;
};

export function traceView(events: TraceEvent[]): TraceEventView[] {
  return events.map((e) => ({
    id: e.id,
    kind: e.kind,
    name: e.name,
    data: e.data,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    latencyMs: e.latencyMs,
    costMicros: e.costMicros,
    at: e.createdAt.toISOString(),
  }));
}
