import "server-only";
import { sql } from "kysely";
import type { PgTransaction, Tx } from "@/lib/db";
import { builder, hot, prepared } from "@/lib/store";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import {
  decidedToolCallsSql,
  mayResume,
  RESUME_REASON,
  resumeRunsSql,
  runTransitionEvent,
} from "@/lib/runtime/transitions";
import { decidedApprovalsSql } from "./transitions";
import { reportAfterCommit, type TraceInput } from "@/lib/trace/events";
import type { AuditInput } from "@/lib/audit/log";

// Decisions' writes as one statement, for one decision or a batch of them (decision-batch.ts):
// each approval's conditional update, its tool call's move, its run's resume when nothing else of
// the run waits, their trace events and the (un-chained) audit entries. Under twenty reviewers the
// per-statement cost, not the rows, was what decisions queued on. The state machines' legal
// sources are passed in, so the rules stay those of lib/runtime/state-machines.ts. The caller
// locks the runs' rows first, in an earlier statement (lockRuns), so this one's snapshot sees
// every decision committed before it.

export type DecisionWrite = {
  approvalId: string;
  runId: string;
  /** Whether the run goes back to work once nothing else of it waits (false for an external agent's run). */
  resume: boolean;
  toolCall: { id: string; tool: string };
  status: "approved" | "rejected";
  actorId: string;
  decidedAt: Date;
  reason: string | null;
  approved: { arguments: Prisma.InputJsonValue; hash: string } | null;
  expectedHash: string | null;
  decisionEvent: Pick<TraceInput, "name" | "data">;
  audit: AuditInput;
};

export type DecisionWritten = { won: boolean; resumed: boolean };

const lockRunsStatement = hot((p: { ids: string[] }) =>
  builder
    .selectFrom("runs")
    .select(["id", "status"])
    .where(sql<boolean>`id = any(${p.ids}::uuid[])`)
    .orderBy("id")
    .forUpdate(),
);

/** Locks the runs' rows, in a fixed order (two batches never wait on each other in a cycle); their statuses by id. */
export async function lockRuns(
  tx: Tx | PgTransaction,
  runIds: string[],
): Promise<Map<string, RunStatus>> {
  const locked = await lockRunsStatement(tx, { ids: [...new Set(runIds)] });
  return new Map(locked.map((r) => [r.id, r.status]));
}

// The ids are also passed as arrays: the planner takes jsonb_to_recordset for a hundred rows and
// would otherwise hash-join it against a sequential scan of the whole approvals table.
const decisionsSql = (
  input: Array<{ approval_id: string; call_id: string; run_id: string }>,
) => Prisma.sql`
with moved as (${decidedApprovalsSql(
  JSON.stringify(input),
  input.map((d) => d.approval_id),
)}), call as (${decidedToolCallsSql(input.map((d) => d.call_id))}), resumed as (${resumeRunsSql(input.map((d) => d.run_id))}), events as (
  insert into trace_events (id, run_id, tool_call_id, kind, name, data, created_at)
  select gen_random_uuid(), m.run_id, e.tool_call_id, e.kind, e.name, e.data, m.at at time zone 'UTC'
    from moved m
   cross join lateral (values
     (1, m.call_id, 'transition', m.call_event, m.call_data, exists (select from call c where c.ord = m.ord)),
     (2, m.call_id, 'decision', m.decision_event, m.decision_data, true),
     (3, null::uuid, 'transition', m.run_event, m.run_data, exists (select from resumed s where s.ord = m.ord))
   ) as e(n, tool_call_id, kind, name, data, wanted)
   where e.wanted
   order by m.ord, e.n
), audit as (
  insert into audit_pending (at, actor_email, action, approval_id, run_id, payload)
  select m.at at time zone 'UTC', m.audit_actor, m.audit_action, m.approval_id, m.run_id, m.audit_payload
    from moved m
   order by m.ord
)
-- One row per decision that won; the others wrote nothing.
select m.ord, exists (select from call c where c.ord = m.ord) as call_moved, exists (select from resumed s where s.ord = m.ord) as resumed
  from moved m`;

/**
 * Writes the decisions (at most one per approval) in one statement; `runStatuses` are the runs'
 * statuses read under their row locks (lockRuns). What each decision did, in the given order.
 */
export async function writeDecisions(
  tx: Tx | PgTransaction,
  writes: DecisionWrite[],
  runStatuses: Map<string, RunStatus>,
): Promise<DecisionWritten[]> {
  if (writes.length === 0) return [];
  if (new Set(writes.map((w) => w.approvalId)).size !== writes.length)
    throw new Error("one decision per approval in a statement");
  const planned = writes.map((w) => {
    const runStatus = runStatuses.get(w.runId) ?? "awaiting_approval";
    const callEvent: TraceInput = {
      runId: w.runId,
      toolCallId: w.toolCall.id,
      kind: "transition",
      name: `${w.toolCall.tool} → ${w.status}`,
      data: { to: w.status },
    };
    const decisionEvent: TraceInput = {
      runId: w.runId,
      toolCallId: w.toolCall.id,
      kind: "decision",
      ...w.decisionEvent,
    };
    const runEvent: TraceInput = {
      runId: w.runId,
      ...runTransitionEvent(runStatus, "running", RESUME_REASON),
    };
    return {
      w,
      callEvent,
      decisionEvent,
      runEvent,
      mayResume: w.resume && mayResume(runStatus),
    };
  });
  const input = planned.map(({ w, callEvent, decisionEvent, runEvent, mayResume }, ord) => ({
    ord,
    approval_id: w.approvalId,
    run_id: w.runId,
    call_id: w.toolCall.id,
    status: w.status,
    actor_id: w.actorId,
    at: w.decidedAt.toISOString(),
    reason: w.reason,
    args: w.approved?.arguments ?? null,
    hash: w.approved?.hash ?? null,
    expected_hash: w.expectedHash,
    may_resume: mayResume,
    call_event: callEvent.name,
    call_data: callEvent.data,
    decision_event: decisionEvent.name,
    decision_data: decisionEvent.data ?? {},
    run_event: runEvent.name,
    run_data: runEvent.data,
    audit_actor: w.audit.actorEmail,
    audit_action: w.audit.action,
    audit_payload: w.audit.payload,
  }));
  const rows = await prepared<{ ord: number; call_moved: boolean; resumed: boolean }>(
    tx,
    decisionsSql(input),
  );
  const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
  return planned.map(({ callEvent, decisionEvent, runEvent }, ord) => {
    const row = byOrd.get(ord);
    if (!row) return { won: false, resumed: false };
    if (row.call_moved) reportAfterCommit(tx, callEvent);
    reportAfterCommit(tx, decisionEvent);
    if (row.resumed) reportAfterCommit(tx, runEvent);
    return { won: true, resumed: row.resumed };
  });
}
