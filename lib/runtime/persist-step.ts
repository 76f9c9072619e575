import "server-only";
import { db } from "@/lib/db";
import { fixed, insertTraceEventsSql, traceEventsJson } from "@/lib/store";
import type { ChatMessage } from "@/lib/model/types";
import { addAgentSpendSql } from "@/lib/spend/usage";
import { reportCommitted, type TraceInput } from "@/lib/trace/events";
import { LEASE_MS, LeaseLost, noteLeaseRenewed } from "./lease";
import type { RunState } from "./run-state";
import { FINISH_TOOL_CALLS_SQL, runTransitionEvent, STEP_RUN_SQL } from "./transitions";

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
export type FinishedToolCall = {
  id: string;
  status: "succeeded" | "failed";
  result?: unknown;
  error?: unknown;
  attempts: number;
};

/** Everything one step changes, written together. */
export type StepWrite = {
  usage?: { iterations: number; inputTokens: number; outputTokens: number; costMicros: number };
  deadlineAt?: Date;
  turns?: ChatMessage[];
  newCalls?: NewToolCall[];
  finished?: FinishedToolCall[];
  events: Omit<TraceInput, "runId">[];
  /** The run's state the step expects (the lease holder's run is running, or routing while it is routed). */
  expectStatus?: "running" | "routing";
  /** The model's final answer: the run completes in the same write (unless something still waits: then it stays running and the caller ends it the long way). */
  complete?: { conversationId: string; text: string };
  /** What the product tells the customer with this write (lib/customer-text: decisions on parked calls), in order, before any final answer. */
  tell?: { conversationId: string; texts: string[] };
};

// One statement, so one round trip and one atomic commit: the lease check and renewal, the
// usage counters (and the agent's day of spend), the turns appended, the calls recorded or
// finished, and the trace events of all of it. Every write reads from the `run` CTE, so a worker
// that no longer holds the lease (or a run that was ended meanwhile) writes nothing at all.
const writeStepStatement = fixed<{
  run: number;
  completed: boolean;
  finished: number;
  paused: boolean;
}>(`
with ${STEP_RUN_SQL},
spent as (${addAgentSpendSql(`select run.agent, run.id, $7::int from run where run.mode = 'live'`)}
  returning 1
),
turns as (
  insert into run_turns (run_id, seq, message, created_at)
  select run.id, t.seq, t.message, timezone('utc', now()) from run, jsonb_to_recordset($9::jsonb) as t(seq int, message jsonb)
  returning 1
),
new_calls as (
  insert into tool_calls (id, run_id, tool_use_id, turn, tool, irreversible, arguments, args_hash, confidence, rationale, status, idempotency_key, error, created_at, updated_at)
  select c.id, run.id, c.tool_use_id, c.turn, c.tool, c.irreversible, c.arguments, c.args_hash, c.confidence, c.rationale, c.status::"ToolCallStatus", c.idempotency_key, c.error,
         -- a millisecond apart, so the calls of one turn read back in the order the model proposed them
         timezone('utc', now()) + c.n * interval '1 millisecond', timezone('utc', now())
  from run, jsonb_to_recordset($10::jsonb) as c(id uuid, tool_use_id text, turn int, tool text, irreversible boolean, arguments jsonb, args_hash text, confidence float8, rationale text, status text, idempotency_key text, error jsonb, n int)
  returning 1
),
finished as (
  ${FINISH_TOOL_CALLS_SQL}
),
events as (${insertTraceEventsSql({ events: "$12", from: "run", runId: "run.id", where: "not e.if_completed or run.completes" })}
),
told as (
  insert into messages (id, conversation_id, author, text, run_id, created_at)
  select gen_random_uuid(), $15::uuid, 'assistant'::"MessageAuthor", t.text, run.id, timezone('utc', now()) + t.n * interval '1 millisecond'
  from run, jsonb_to_recordset($17::jsonb) as t(n int, text text) where run.mode = 'live'
  returning 1
),
scratch_told as (
  insert into scratch_messages (id, run_id, text, created_at)
  select gen_random_uuid(), run.id, t.text, timezone('utc', now()) + t.n * interval '1 millisecond'
  from run, jsonb_to_recordset($17::jsonb) as t(n int, text text) where run.mode <> 'live'
  returning 1
),
said as (
  insert into messages (id, conversation_id, author, text, run_id, created_at)
  select gen_random_uuid(), $15::uuid, 'assistant'::"MessageAuthor", $16::text, run.id, timezone('utc', now()) + jsonb_array_length($17::jsonb) * interval '1 millisecond'
  from run where run.completes and run.mode = 'live'
  returning 1
),
-- A scratch run (replay, shadow: lib/replay) tells the customer nothing: its answer is kept apart.
scratch_said as (
  insert into scratch_messages (id, run_id, text, created_at)
  select gen_random_uuid(), run.id, $16::text, timezone('utc', now()) + jsonb_array_length($17::jsonb) * interval '1 millisecond'
  from run where run.completes and run.mode <> 'live'
  returning 1
)
select (select count(*) from run)::int as run, coalesce((select bool_or(completes) from run), false) as completed, (select count(*) from finished)::int as finished,
       exists (select 1 from agent_pauses p join runs r on r.agent = p.agent where r.id = $1::uuid and p.paused) as paused`);

/**
 * The single writer of a step. Throws LeaseLost (having written nothing) when the worker no
 * longer holds the run. Updates the in-memory state only after the write committed, and reports
 * the trace events (log lines, spans) only then.
 */
export async function persistStep(
  state: RunState,
  step: StepWrite,
): Promise<{ completed: boolean }> {
  // The auto calls run in memory since the last write go first: their turn is already in the transcript.
  const carried = state.unsaved;
  const firstSeq = state.transcript.length - (carried?.turns?.length ?? 0);
  const { completed, usage, paused } = await writeStep(
    state.run.id,
    state.workerId,
    firstSeq,
    carried ? withCarried(carried, step) : step,
  );
  state.unsaved = undefined;
  state.agentPaused = paused;
  state.usage.iterations += usage.iterations;
  state.usage.inputTokens += usage.inputTokens;
  state.usage.outputTokens += usage.outputTokens;
  state.usage.costMicros += usage.costMicros;
  if (step.deadlineAt) state.usage.deadlineAt = step.deadlineAt;
  state.transcript.push(...(step.turns ?? []));
  for (const call of step.newCalls ?? []) {
    state.loops.record({
      tool: call.tool,
      argsHash: call.argsHash,
      status: call.status,
      turn: call.turn,
      toolUseId: call.toolUseId,
    });
    state.recorded.set(call.toolUseId, call);
  }
  state.watch.toolCalls += step.newCalls?.length ?? 0;
  return { completed };
}

/** Writes what the last in-memory calls left unsaved, if anything: before any write that is not a step's (an ending, a stop, an anomaly). */
export async function flushUnsaved(state: RunState) {
  if (state.unsaved) await persistStep(state, { events: [] });
}

function withCarried(carried: StepWrite, step: StepWrite): StepWrite {
  return {
    ...step,
    deadlineAt: step.deadlineAt ?? carried.deadlineAt,
    turns: [...(carried.turns ?? []), ...(step.turns ?? [])],
    finished: [...(carried.finished ?? []), ...(step.finished ?? [])],
    events: [...carried.events, ...step.events],
  };
}

/** The statement itself, for writers without a loaded run (the router's calls, while the run is routing). */
export async function writeStep(
  runId: string,
  workerId: string,
  firstSeq: number,
  step: StepWrite,
) {
  const usage = step.usage ?? { iterations: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };
  const events = [
    ...step.events.map((e) => ({ ...e, ifCompleted: false })),
    ...(step.complete
      ? [{ ...runTransitionEvent("running", "completed", null), ifCompleted: true }]
      : []),
  ];
  // On the pool itself (lib/db/index.ts says why): one statement, autocommitted.
  const [row] = await writeStepStatement(db, [
    runId,
    new Date(Date.now() + LEASE_MS).toISOString(),
    workerId,
    usage.iterations,
    usage.inputTokens,
    usage.outputTokens,
    usage.costMicros,
    step.deadlineAt?.toISOString() ?? null,
    JSON.stringify((step.turns ?? []).map((message, i) => ({ seq: firstSeq + i, message }))),
    JSON.stringify((step.newCalls ?? []).map((call, n) => ({ ...callRow(call), n }))),
    JSON.stringify(
      (step.finished ?? []).map((f) => ({
        id: f.id,
        status: f.status,
        result: f.result ?? null,
        error: f.error ?? null,
        attempts: f.attempts,
      })),
    ),
    traceEventsJson(events),
    step.expectStatus ?? "running",
    step.complete !== undefined,
    step.complete?.conversationId ?? step.tell?.conversationId ?? null,
    step.complete?.text ?? null,
    JSON.stringify((step.tell?.texts ?? []).map((text, n) => ({ n, text }))),
  ]);
  if (!row || row.run === 0) throw new LeaseLost(runId);
  // The lease fence makes this impossible; if it ever happens the record is wrong, so say so loudly.
  if (row.finished !== (step.finished?.length ?? 0))
    throw new Error(`run ${runId}: a finished call was no longer executing`);
  noteLeaseRenewed(runId, workerId);
  for (const event of events)
    if (!event.ifCompleted || row.completed) reportCommitted({ ...event, runId });
  return { completed: row.completed, usage, paused: row.paused };
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
