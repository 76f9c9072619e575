import "server-only";
import { CompiledQuery } from "kysely";
import type { RunStatus, ToolCallStatus } from "@/lib/generated/prisma/enums";
import { Prisma } from "@/lib/generated/prisma/client";
import type { PgTransaction, Tx } from "@/lib/db";
import { builder, rows } from "@/lib/store";
import { recordEvent, type TraceInput } from "@/lib/trace/events";
import {
  canMoveRun,
  runSourcesOf,
  TERMINAL_RUN_STATUSES,
  toolCallSourcesOf,
} from "./state-machines";

// The one module that changes `runs.status` and `tool_calls.status` (approvals.status: lib/approvals/
// transitions.ts); test/status-writers.test.ts finds any other writer. The moves the engine makes
// one statement at a time (the claim, the move to running, a step, a decision) are built here as
// fragments those statements splice in; the rest go through transitionRun/transitionToolCall.

/** The trace event of a run's move: one spelling for every writer. */
export const runTransitionEvent = (
  from: RunStatus,
  to: RunStatus,
  reason: string | null,
): Omit<TraceInput, "runId"> => ({
  kind: "transition",
  name: `${from} → ${to}`,
  data: { from, to, reason },
});

/**
 * The one way a run changes state outside the engine's one-statement moves: a conditional update
 * from a legal source state, and its trace event, in the caller's transaction. Returns false when
 * the run was not in a state that may move to `to` (someone else moved it first).
 */
export async function transitionRun(
  tx: Tx,
  runId: string,
  to: RunStatus,
  reason?: string,
  extra: Prisma.RunUpdateInput = {},
  /** Move only from these states (a legal move from elsewhere is still refused). */
  from?: readonly RunStatus[],
): Promise<boolean> {
  // Row lock: the state read here is the state the update moves from.
  const [current] = await rows(
    tx,
    builder.selectFrom("runs").select("status").where("id", "=", runId).forUpdate(),
  );
  if (!current || !canMoveRun(current.status, to) || (from && !from.includes(current.status)))
    return false;
  await tx.run.update({
    where: { id: runId },
    data: {
      ...extra,
      status: to,
      statusReason: reason ?? null,
      ...(TERMINAL_RUN_STATUSES.includes(to) && {
        finishedAt: new Date(),
        leaseOwner: null,
        leaseUntil: null,
      }),
    },
  });
  await recordEvent(tx, { runId, ...runTransitionEvent(current.status, to, reason ?? null) });
  return true;
}

export async function transitionToolCall(
  tx: Tx,
  toolCall: { id: string; runId: string; tool: string },
  to: ToolCallStatus,
  data: Prisma.ToolCallUpdateManyMutationInput = {},
): Promise<boolean> {
  const moved = await tx.toolCall.updateMany({
    where: { id: toolCall.id, status: { in: toolCallSourcesOf(to) } },
    data: { ...data, status: to },
  });
  if (moved.count === 0) return false;
  await recordEvent(tx, {
    runId: toolCall.runId,
    toolCallId: toolCall.id,
    kind: "transition",
    name: `${toolCall.tool} → ${to}`,
    data: { to },
  });
  return true;
}

// ── "resume when nothing waits": the one rule, as SQL and as a check ─────────────────────────────

/** SQL: no approval of the run (`runId`, an SQL expression) still waits, apart from `except` (a subquery of approval ids). */
export const nothingWaitsSql = (runId: string, except?: string) =>
  `not exists (select from approvals p where p.run_id = ${runId} and p.status = 'pending'${except ? ` and p.id not in (${except})` : ""})`;

export const RESUME_REASON = "all pending calls decided";

/** Whether no approval of the run still waits (nothingWaitsSql, in the caller's transaction). */
export async function nothingWaits(tx: Tx | PgTransaction, runId: string): Promise<boolean> {
  const [row] = await rows(
    tx,
    CompiledQuery.raw(`select ${nothingWaitsSql("$1::uuid")} as nothing_waits`, [
      runId,
    ]) as CompiledQuery<{
      nothing_waits: boolean;
    }>,
  );
  return row?.nothing_waits ?? false;
}

// ── The engine's one-statement moves (lib/runtime/route-writes.ts, persist-step.ts) ─────────────

/**
 * The claim (CTE `moved`): takes a free lease and moves a queued run to routing. $1 the worker,
 * $2 the lease's end, $3 the run, $4 now. A lease holder's routing or running run keeps its state.
 */
export const CLAIM_RUN_SQL = `update runs set lease_owner = $1, lease_until = $2::timestamp, updated_at = timezone('utc', now()),
    status = case when runs.status = 'queued' then 'routing'::"RunStatus" else runs.status end,
    status_reason = case when runs.status = 'queued' then null else runs.status_reason end
  where id = $3::uuid and status in ('queued', 'routing', 'running') and (lease_until is null or lease_until < $4::timestamp)
  returning id, status::text as status, request, mode::text as mode`;

/**
 * routing → running (CTE `moved`), fenced on the lease, with what routing decided and the router's
 * usage: $1 run, $2 worker, $3 lease's end, $4 agent, $5 its version, $6 intent, $7 confidence,
 * $8 transcript, $9 deadline, $10-$12 input and output tokens and cost.
 */
export const TO_RUNNING_SQL = `update runs set status = 'running', status_reason = null, agent = $4, agent_version = $5::int, intent = $6, intent_confidence = $7::float8,
    transcript = $8::jsonb, deadline_at = $9::timestamp, lease_until = $3::timestamp, updated_at = timezone('utc', now()),
    input_tokens = input_tokens + $10::int, output_tokens = output_tokens + $11::int, cost_micros = cost_micros + $12::int
  where id = $1::uuid and lease_owner = $2 and status = 'routing'
  returning runs.*`;

/**
 * A step's run update (CTEs `gate` and `run`): renews the lease of $3 on run $1 in state $13 until
 * $2 and adds the usage ($4-$8). With $14 (the model's final answer) it is also running →
 * completed, ending as transitionRun ends a run (lease released, finished_at), but only when
 * nothing waits and no call is half-way (the calls in $11, finished by this very write, aside).
 */
export const STEP_RUN_SQL = `gate as (
  -- A run completes only with nothing left waiting or half-way (what endRun would otherwise settle).
  select $14::boolean
    and ${nothingWaitsSql("$1::uuid")}
    -- (the calls this very write finishes, still executing in the statement's snapshot, do not count)
    and not exists (select 1 from tool_calls c where c.run_id = $1::uuid and c.status in ('approved', 'executing')
                      and c.id not in (select f.id from jsonb_to_recordset($11::jsonb) as f(id uuid))) as completes
),
run as (
  update runs set
    lease_owner = case when gate.completes then null else lease_owner end,
    lease_until = case when gate.completes then null else $2::timestamp end,
    status = case when gate.completes then 'completed'::"RunStatus" else status end,
    status_reason = case when gate.completes then null else status_reason end,
    finished_at = case when gate.completes then timezone('utc', now()) else finished_at end,
    updated_at = timezone('utc', now()),
    iterations = iterations + $4::int,
    input_tokens = input_tokens + $5::int,
    output_tokens = output_tokens + $6::int,
    cost_micros = cost_micros + $7::int,
    deadline_at = coalesce($8::timestamp, deadline_at)
  from gate
  where runs.id = $1::uuid and runs.lease_owner = $3 and runs.status = $13::"RunStatus"
  returning runs.id, runs.mode, runs.agent, gate.completes
)`;

/** A step's finished calls (CTE `finished`, after `run`): executing → succeeded or failed, from $11. */
export const FINISH_TOOL_CALLS_SQL = `update tool_calls tc set status = f.status::"ToolCallStatus", result = f.result, error = f.error, attempts = f.attempts, updated_at = timezone('utc', now())
  from run, jsonb_to_recordset($11::jsonb) as f(id uuid, status text, result jsonb, error jsonb, attempts int)
  where tc.id = f.id and tc.run_id = run.id and tc.status = 'executing'
  returning 1`;

// ── A decision's moves (lib/approvals/decision-statement.ts), over its CTE `moved` ───────────────

/** The decided calls: pending_approval → approved or rejected, with an edit's arguments. */
export const decidedToolCallsSql = (callIds: string[]) => Prisma.sql`
  update tool_calls t
     set status = m.status::"ToolCallStatus", arguments = coalesce(m.args, t.arguments), args_hash = coalesce(m.hash, t.args_hash),
         updated_at = m.at at time zone 'UTC'
    from moved m
   where t.id = any(${callIds}::uuid[]) and t.id = m.call_id
     and t.status = any(case m.status when 'approved' then ${toolCallSourcesOf("approved")}::"ToolCallStatus"[] else ${toolCallSourcesOf("rejected")}::"ToolCallStatus"[] end)
  returning m.ord`;

/** A run resumes once, with the last of its decisions in `moved`, when none of its calls still waits. */
export const resumeRunsSql = (runIds: string[]) => Prisma.sql`
  update runs r set status = 'running', status_reason = ${RESUME_REASON}, updated_at = m.at at time zone 'UTC'
    from (select distinct on (run_id) * from moved where may_resume order by run_id, ord desc) m
   where r.id = any(${runIds}::uuid[]) and r.id = m.run_id
     and ${Prisma.raw(nothingWaitsSql("m.run_id", "select approval_id from moved"))}
  returning m.ord`;

/** Whether a run in `status` may resume (the decision plans its event from it). */
export const mayResume = (status: RunStatus) => runSourcesOf("running").includes(status);
