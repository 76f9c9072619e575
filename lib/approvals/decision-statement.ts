import "server-only";
import { queryRows, type PgTransaction, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { approvalSourcesOf, runSourcesOf, toolCallSourcesOf } from "@/lib/runtime/state-machines";
import { reportAfterCommit, type TraceInput } from "@/lib/trace/events";
import type { AuditInput } from "@/lib/audit/log";

// A decision's writes as one statement: the approval's conditional update, the tool call's move,
// the run's resume when nothing else of it waits, their trace events and the (un-chained) audit
// entry. One round trip instead of eleven: under twenty reviewers the per-statement cost, not the
// database, was what decisions queued on. The state machines' legal sources are passed in, so
// the rules stay those of lib/runtime/state-machines.ts; the caller has locked the run's row in
// an earlier statement, so this one's snapshot sees every decision committed before it.

export type DecisionWrite = {
  approvalId: string;
  runId: string;
  /** The run's status read under its row lock. */
  runStatus: RunStatus;
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

const RESUME_REASON = "all pending calls decided";

export async function writeDecision(tx: Tx | PgTransaction, d: DecisionWrite): Promise<DecisionWritten> {
  const at = Prisma.sql`(${d.decidedAt.toISOString()}::timestamptz at time zone 'UTC')`;
  const args = d.approved ? JSON.stringify(d.approved.arguments) : null;
  const hash = d.approved?.hash ?? null;
  const runMayResume = d.resume && runSourcesOf("running").includes(d.runStatus);
  const callEvent: TraceInput = {
    runId: d.runId,
    toolCallId: d.toolCall.id,
    kind: "transition",
    name: `${d.toolCall.tool} → ${d.status}`,
    data: { to: d.status },
  };
  const decisionEvent: TraceInput = { runId: d.runId, toolCallId: d.toolCall.id, kind: "decision", ...d.decisionEvent };
  const runEvent: TraceInput = {
    runId: d.runId,
    kind: "transition",
    name: `${d.runStatus} → running`,
    data: { from: d.runStatus, to: "running", reason: RESUME_REASON },
  };
  const json = (e: TraceInput) => JSON.stringify(e.data ?? {});

  const [row] = await queryRows<{ won: boolean; call_moved: boolean; resumed: boolean }>(
    tx,
    Prisma.sql`
    with moved as (
      update approvals
         set status = ${d.status}::"ApprovalStatus", decided_by_id = ${d.actorId}::uuid, decided_at = ${at}, decision_reason = ${d.reason},
             approved_arguments = coalesce(${args}::jsonb, approved_arguments), approved_hash = coalesce(${hash}::text, approved_hash),
             claimed_by_id = null, claimed_until = null
       where id = ${d.approvalId}::uuid and status = any(${approvalSourcesOf(d.status)}::"ApprovalStatus"[]) and expires_at > ${at}
         and (${d.expectedHash}::text is null or proposed_hash = ${d.expectedHash}::text)
      returning id
    ), call as (
      update tool_calls
         set status = ${d.status}::"ToolCallStatus", arguments = coalesce(${args}::jsonb, arguments), args_hash = coalesce(${hash}::text, args_hash), updated_at = ${at}
       where id = ${d.toolCall.id}::uuid and status = any(${toolCallSourcesOf(d.status)}::"ToolCallStatus"[]) and exists (select from moved)
      returning id
    ), resumed as (
      update runs set status = 'running', status_reason = ${RESUME_REASON}, updated_at = ${at}
       where id = ${d.runId}::uuid and ${runMayResume}::boolean and exists (select from moved)
         and not exists (select from approvals where run_id = ${d.runId}::uuid and status = 'pending' and id <> ${d.approvalId}::uuid)
      returning id
    ), events as (
      insert into trace_events (id, run_id, tool_call_id, kind, name, data, created_at)
      select gen_random_uuid(), ${d.runId}::uuid, e.tool_call_id, e.kind, e.name, e.data, ${at}
        from (values
          (1, ${d.toolCall.id}::uuid, 'transition', ${callEvent.name}, ${json(callEvent)}::jsonb, exists (select from call)),
          (2, ${d.toolCall.id}::uuid, 'decision', ${decisionEvent.name}, ${json(decisionEvent)}::jsonb, exists (select from moved)),
          (3, null::uuid, 'transition', ${runEvent.name}, ${json(runEvent)}::jsonb, exists (select from resumed))
        ) as e(ord, tool_call_id, kind, name, data, wanted)
       where e.wanted
       order by e.ord
      returning id
    ), audit as (
      insert into audit_pending (at, actor_email, action, approval_id, run_id, payload)
      select ${at}, ${d.audit.actorEmail}, ${d.audit.action}, ${d.approvalId}::uuid, ${d.runId}::uuid, ${JSON.stringify(d.audit.payload)}::jsonb
       where exists (select from moved)
      returning id
    )
    select exists (select from moved) as won, exists (select from call) as call_moved, exists (select from resumed) as resumed,
           (select count(*) from events) + (select count(*) from audit) as written`,
  );
  if (!row?.won) return { won: false, resumed: false };
  if (row.call_moved) reportAfterCommit(tx, callEvent);
  reportAfterCommit(tx, decisionEvent);
  if (row.resumed) reportAfterCommit(tx, runEvent);
  return { won: true, resumed: row.resumed };
}
