import "server-only";
import { db } from "@/lib/db";
import { fixed, insertTraceEventsSql, traceEventsJson } from "@/lib/store";
import type { ChatMessage, ModelProvider, ModelRequest, ModelResponse } from "@/lib/model/types";
import { reportCommitted, type TraceInput } from "@/lib/trace/events";
import { FLAGGED_EVENT } from "./injection";
import { LEASE_MS, LeaseLost, noteLeaseRenewed } from "./lease";
import { invokeModel } from "./model-call";
import { writeStep } from "./persist-step";
import { runStateFrom, selectRunState, type RunState, type RunStateRow } from "./run-state";
import type { RunMode } from "@/lib/generated/prisma/enums";
import type { ShadowSample } from "./hooks";
import { addAgentSpendSql } from "@/lib/spend/usage";
import { CLAIM_RUN_SQL, runTransitionEvent, TO_RUNNING_SQL } from "./transitions";

// The claim and the routing moves of a run as single statements, fenced on the lease like
// persistStep: the state change and its trace events commit together, in one round trip each.

type Event = Omit<TraceInput, "runId">;

async function move<Row extends { moved: number }>(
  statement: (on: typeof db, values: unknown[]) => Promise<Row[]>,
  params: unknown[],
  runId: string,
  workerId: string,
  events: Event[],
): Promise<Row> {
  // On the pool itself (lib/db/index.ts says why): one statement, autocommitted.
  const [row] = await statement(db, [...params, traceEventsJson(events)]);
  if (!row || row.moved === 0) throw new LeaseLost(runId);
  noteLeaseRenewed(runId, workerId);
  for (const event of events) reportCommitted({ ...event, runId });
  return row;
}

const claimStatement = fixed<{
  status: "routing" | "running";
  request: string;
  mode: RunMode;
  moved_from_queued: number;
}>(`
with prior as (select status from runs where id = $3::uuid),
moved as (
  ${CLAIM_RUN_SQL}
),
events as (${insertTraceEventsSql({ events: "$5", from: "moved, prior", runId: "moved.id", where: "prior.status = 'queued'" })})
select moved.status, moved.request, moved.mode, (select count(*) from events)::int as moved_from_queued from moved`);

/**
 * The claim of a run's lease, if nobody holds it, returning what routing needs; a queued run
 * moves to routing in the same statement, with its transition event. `prior` reads the run as the
 * statement's snapshot saw it: only a claimer moves a run out of queued, and a claimer holds the
 * lease, so a run this claim took was queued exactly when the snapshot says so.
 */
export async function claimRun(
  runId: string,
  workerId: string,
  now: Date,
): Promise<{ status: "routing" | "running"; request: string; mode: RunMode } | null> {
  const event = runTransitionEvent("queued", "routing", null);
  const [row] = await claimStatement(db, [
    workerId,
    new Date(now.getTime() + LEASE_MS).toISOString(),
    runId,
    now.toISOString(),
    traceEventsJson([event]),
  ]);
  if (!row) return null;
  noteLeaseRenewed(runId, workerId);
  if (row.moved_from_queued > 0) reportCommitted({ ...event, runId });
  return { status: row.status, request: row.request, mode: row.mode };
}

/**
 * The router's model calls while a run is routed: their usage and trace events are kept here and
 * written by the move to running, in its one statement; any other way out of routing (the
 * fallback, a budget or a pause that ends the run, an error) writes them first (flushRouterCalls).
 */
export type RouterCalls = {
  runId: string;
  workerId: string;
  usage: { inputTokens: number; outputTokens: number; costMicros: number };
  events: Event[];
};

export const routerCalls = (runId: string, workerId: string): RouterCalls => ({
  runId,
  workerId,
  usage: { inputTokens: 0, outputTokens: 0, costMicros: 0 },
  events: [],
});

/** One router model call, kept with the others (a failed one is written at once, after them). */
export async function routerCall(
  calls: RouterCalls,
  model: ModelProvider,
  request: ModelRequest,
): Promise<ModelResponse> {
  const { response, usage, event } = await invokeModel(
    model,
    calls.runId,
    "router",
    request,
    {},
    () => flushRouterCalls(calls),
  );
  calls.usage.inputTokens += usage.inputTokens;
  calls.usage.outputTokens += usage.outputTokens;
  calls.usage.costMicros += usage.costMicros;
  calls.events.push(event);
  return response;
}

/** Writes the router's calls not yet written, with their usage, in one statement. */
export async function flushRouterCalls(calls: RouterCalls) {
  if (calls.events.length === 0) return;
  await writeStep(calls.runId, calls.workerId, 0, {
    usage: { iterations: 0, ...calls.usage },
    events: calls.events,
    expectStatus: "routing",
  });
  Object.assign(calls, routerCalls(calls.runId, calls.workerId));
}

export type Routed = {
  routingEvent: Event;
  flaggedEvent?: Event;
  agent: string;
  agentVersion: number;
  intent: string;
  intentConfidence: number;
  transcript: ChatMessage[];
  deadlineAt: Date;
};

const toRunningStatement = fixed<{ moved: number; shadow: ShadowSample | null } & RunStateRow>(`
with moved as (
  ${TO_RUNNING_SQL}
),
-- The router's calls, spent before the run had an agent, count towards the agent's day now.
spent as (${addAgentSpendSql(`select $4::text, moved.id, moved.cost_micros::bigint from moved where moved.mode = 'live'`)}
  returning 1
),
events as (${insertTraceEventsSql({ events: "$14", from: "moved", runId: "moved.id" })})
select (select count(*) from moved)::int as moved,
  (select json_build_object('version', s.version, 'sampleRate', s.sample_rate) from shadow_configs s where s.agent = $4 and s.enabled) as shadow,
  loaded.*
from (select 1) as one left join (${selectRunState("moved", "$13")}) as loaded on true`);

/**
 * routing → running, with the agent, its settings version, the pinned request and the router's
 * calls (their usage and trace events). It also reads the agent's shadow setting (lib/shadow), so
 * shadow mode costs a live run no round trip, and returns the run's state as the step loop needs
 * it (loadRunState's read, built on the row the move wrote), so the first step follows at once.
 */
export async function moveToRunning(
  calls: RouterCalls,
  routed: Routed,
): Promise<{ shadow: ShadowSample | null; state: RunState | null }> {
  const { runId, workerId, usage } = calls;
  const params = [
    runId,
    workerId,
    new Date(Date.now() + LEASE_MS).toISOString(),
    routed.agent,
    routed.agentVersion,
    routed.intent,
    routed.intentConfidence,
    JSON.stringify(routed.transcript),
    routed.deadlineAt.toISOString(),
    usage.inputTokens,
    usage.outputTokens,
    usage.costMicros,
    FLAGGED_EVENT,
  ];
  const events = [
    ...calls.events,
    routed.routingEvent,
    ...(routed.flaggedEvent ? [routed.flaggedEvent] : []),
    runTransitionEvent("routing", "running", null),
  ];
  const {
    moved: _moved,
    shadow,
    ...row
  } = await move(toRunningStatement, params, runId, workerId, events);
  Object.assign(calls, routerCalls(runId, workerId));
  const state = runStateFrom(row, workerId);
  // The statement's snapshot does not see the flagged event it writes itself.
  if (state && routed.flaggedEvent) state.untrustedFlagged = true;
  return { shadow, state };
}
