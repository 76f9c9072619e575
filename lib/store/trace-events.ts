// The trace-event insert, written once for every statement that records its own events in the
// same write as the change (a step, the claim, the move to running): events travel as one jsonb
// array (traceEventsJson), in order, and each statement says which run they belong to.

/** An event as the statements carry it (lib/trace's TraceInput without its run). */
export type TraceEventRecord = {
  kind: string;
  name: string;
  toolCallId?: string;
  data?: unknown;
  inputTokens?: number;
  outputTokens?: number;
  costMicros?: number;
  latencyMs?: number;
  /** Written only if the step completes the run (persist-step's completion event). */
  ifCompleted?: boolean;
};

/** The events as the jsonb array insertTraceEventsSql reads (`n` keeps their order). */
export const traceEventsJson = (events: readonly TraceEventRecord[]) =>
  JSON.stringify(
    events.map((e, n) => ({
      n,
      kind: e.kind,
      name: e.name,
      tool_call_id: e.toolCallId ?? null,
      data: e.data ?? {},
      input_tokens: e.inputTokens ?? null,
      output_tokens: e.outputTokens ?? null,
      cost_micros: e.costMicros ?? null,
      latency_ms: e.latencyMs ?? null,
      if_completed: e.ifCompleted ?? false,
    })),
  );

/**
 * `insert into trace_events` from the array in `events` (a placeholder such as `$12`), for the run
 * of `runId` (an SQL expression over `from`, the CTE that moved the run), where `where` holds.
 */
export const insertTraceEventsSql = (p: {
  events: string;
  from: string;
  runId: string;
  where?: string;
}) => `
  insert into trace_events (id, run_id, kind, name, tool_call_id, data, input_tokens, output_tokens, cost_micros, latency_ms, created_at)
  select gen_random_uuid(), ${p.runId}, e.kind, e.name, e.tool_call_id, coalesce(e.data, '{}'::jsonb), e.input_tokens, e.output_tokens, e.cost_micros, e.latency_ms, timezone('utc', now())
  from ${p.from}, jsonb_to_recordset(${p.events}::jsonb) as e(n int, kind text, name text, tool_call_id uuid, data jsonb, input_tokens int, output_tokens int, cost_micros int, latency_ms int, if_completed boolean)
  ${p.where ? `where ${p.where}` : ""}
  order by e.n
  returning 1`;
