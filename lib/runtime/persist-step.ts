import "server-only";
import { db } from "@/lib/db";
import type { ChatMessage } from "@/lib/model/types";
import { reportCommitted, type TraceInput } from "@/lib/trace/events";
import { LEASE_MS, LeaseLost, noteLeaseRenewed } from "./lease";
import type { RunState } from "./run-state";

/** A tool call recorded by a step: refused, or auto and already moving to executing. */
export type NewToolCall = {
  id: string;
  toolUseId: string;
  turn: number;
  tool: string;
  irreversible: boolean;
  arguments: unknown;
  argsHash: string;
  confidence: number | null;
  rationale: string | null;
  status: "executing" | "refused";
  idempotencyKey: string;
  error?: unknown;
};

/** The outcome of a call that ran in this worker's memory. */
export type FinishedToolCall = { id: string; status: "succeeded" | "failed"; result?: unknown; error?: unknown; attempts: number };

/** Everything one step changes, written together. */
export type StepWrite = {
  usage?: { iterations: number; inputTokens: number; outputTokens: number; costMicros: number };
  deadlineAt?: Date;
  turns?: ChatMessage[];
  newCalls?: NewToolCall[];
  finished?: FinishedToolCall[];
  events: Omit<TraceInput, "runId">[];
};

// One statement, so one round trip and one atomic commit: the lease check and renewal, the
// usage counters, the turns appended, the calls recorded or finished, and the trace events of
// all of it. Every write reads from the `run` CTE, so a worker that no longer holds the lease
// (or a run that was ended meanwhile) writes nothing at all.
const STEP_SQL = `
with run as (
  update runs set
    lease_until = $2::timestamp,
    updated_at = timezone('utc', now()),
    iterations = iterations + $4::int,
    input_tokens = input_tokens + $5::int,
    output_tokens = output_tokens + $6::int,
    cost_micros = cost_micros + $7::int,
    deadline_at = coalesce($8::timestamp, deadline_at)
  where id = $1::uuid and lease_owner = $3 and status = 'running'
  returning id
),
turns as (
  insert into run_turns (run_id, seq, message)
  select run.id, t.seq, t.message from run, jsonb_to_recordset($9::jsonb) as t(seq int, message jsonb)
  returning 1
),
new_calls as (
  insert into tool_calls (id, run_id, tool_use_id, turn, tool, irreversible, arguments, args_hash, confidence, rationale, status, idempotency_key, error, updated_at)
  select c.id, run.id, c.tool_use_id, c.turn, c.tool, c.irreversible, c.arguments, c.args_hash, c.confidence, c.rationale, c.status::"ToolCallStatus", c.idempotency_key, c.error, timezone('utc', now())
  from run, jsonb_to_recordset($10::jsonb) as c(id uuid, tool_use_id text, turn int, tool text, irreversible boolean, arguments jsonb, args_hash text, confidence float8, rationale text, status text, idempotency_key text, error jsonb)
  returning 1
),
finished as (
  update tool_calls tc set status = f.status::"ToolCallStatus", result = f.result, error = f.error, attempts = f.attempts, updated_at = timezone('utc', now())
  from run, jsonb_to_recordset($11::jsonb) as f(id uuid, status text, result jsonb, error jsonb, attempts int)
  where tc.id = f.id and tc.run_id = run.id and tc.status = 'executing'
  returning 1
),
events as (
  insert into trace_events (id, run_id, kind, name, tool_call_id, data, input_tokens, output_tokens, cost_micros, latency_ms)
  select gen_random_uuid(), run.id, e.kind, e.name, e.tool_call_id, coalesce(e.data, '{}'::jsonb), e.input_tokens, e.output_tokens, e.cost_micros, e.latency_ms
  from run, jsonb_to_recordset($12::jsonb) as e(n int, kind text, name text, tool_call_id uuid, data jsonb, input_tokens int, output_tokens int, cost_micros int, latency_ms int)
  order by e.n
  returning 1
)
select (select count(*) from run)::int as run, (select count(*) from finished)::int as finished`;

/**
 * The single writer of a step. Throws LeaseLost (having written nothing) when the worker no
 * longer holds the run. Updates the in-memory state only after the write committed, and reports
 * the trace events (log lines, spans) only then.
 */
export async function persistStep(state: RunState, step: StepWrite): Promise<void> {
  const runId = state.run.id;
  const firstSeq = state.transcript.length;
  const usage = step.usage ?? { iterations: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };
  const [row] = await db.$queryRawUnsafe<{ run: number; finished: number }[]>(
    STEP_SQL,
    runId,
    new Date(Date.now() + LEASE_MS).toISOString(),
    state.workerId,
    usage.iterations,
    usage.inputTokens,
    usage.outputTokens,
    usage.costMicros,
    step.deadlineAt?.toISOString() ?? null,
    JSON.stringify((step.turns ?? []).map((message, i) => ({ seq: firstSeq + i, message }))),
    JSON.stringify((step.newCalls ?? []).map(callRow)),
    JSON.stringify((step.finished ?? []).map((f) => ({ id: f.id, status: f.status, result: f.result ?? null, error: f.error ?? null, attempts: f.attempts }))),
    JSON.stringify(step.events.map((e, n) => ({ n, kind: e.kind, name: e.name, tool_call_id: e.toolCallId ?? null, data: e.data ?? {}, input_tokens: e.inputTokens ?? null, output_tokens: e.outputTokens ?? null, cost_micros: e.costMicros ?? null, latency_ms: e.latencyMs ?? null }))),
  );
  if (!row || row.run === 0) throw new LeaseLost(runId);
  // The lease fence makes this impossible; if it ever happens the record is wrong, so say so loudly.
  if (row.finished !== (step.finished?.length ?? 0)) throw new Error(`run ${runId}: a finished call was no longer executing`);
  noteLeaseRenewed(runId, state.workerId);

  state.usage.iterations += usage.iterations;
  state.usage.inputTokens += usage.inputTokens;
  state.usage.outputTokens += usage.outputTokens;
  state.usage.costMicros += usage.costMicros;
  if (step.deadlineAt) state.usage.deadlineAt = step.deadlineAt;
  state.transcript.push(...(step.turns ?? []));
  for (const call of step.newCalls ?? []) {
    state.loops.record({ tool: call.tool, argsHash: call.argsHash, status: call.status, turn: call.turn, toolUseId: call.toolUseId });
    state.recorded.set(call.toolUseId, call);
  }
  for (const event of step.events) reportCommitted({ ...event, runId });
}

const callRow = (c: NewToolCall) => ({
  id: c.id,
  tool_use_id: c.toolUseId,
  turn: c.turn,
  tool: c.tool,
  irreversible: c.irreversible,
  arguments: c.arguments,
  args_hash: c.argsHash,
  confidence: c.confidence,
  rationale: c.rationale,
  status: c.status,
  idempotency_key: c.idempotencyKey,
  error: c.error ?? null,
});
