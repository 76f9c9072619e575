import "server-only";
import { agentConfig, type Agent, type Subject } from "@/lib/agent-kit";
import { defaultSettings, type AgentSettings } from "@/lib/agent-settings/settings";
import { registry } from "@/lib/agents";
import { db } from "@/lib/db";
import { fixed, type DB } from "@/lib/store";
import type { Run } from "@/lib/generated/prisma/client";
import type { ChatMessage } from "@/lib/model/types";
import { FLAGGED_EVENT } from "./injection";
import { LoopTracker, type LoopCall } from "./loops";
import type { NewToolCall, StepWrite } from "./persist-step";
import { joinTranscript } from "./transcript";
import type { Baseline } from "@/lib/baselines/check";
import type { ScratchSession } from "./hooks";

/** What every step of a run needs, fixed while its state is loaded (its setup, not a "context": that word is the model's prompt budget, lib/runtime/prompt.ts): the run, its agent, the settings version it runs under, whom it acts for, and the agent's own dependencies. */
export type RunSetup = {
  run: Run;
  agent: Agent;
  settings: AgentSettings;
  subject: Subject;
  /** Live runs only: built by the agent's createDeps for this subject, on first use, once per loaded run (scratch runs use the sandbox: lib/scratch). */
  deps: () => unknown;
  /** Replay, re-run and shadow runs only (lib/replay): what the marked call sites consult instead of the real world. */
  scratch?: ScratchSession;
};

export type Usage = {
  iterations: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  deadlineAt: Date;
};

/**
 * The run as the worker that holds its lease knows it, loaded once per advance and kept up to
 * date in memory as the steps go: nobody else writes these while the lease is held (a worker
 * that loses it finds out at its next write, which is fenced on the lease). Written back once
 * per step by persistStep.
 */
export type RunState = RunSetup & {
  workerId: string;
  usage: Usage;
  transcript: ChatMessage[];
  loops: LoopTracker;
  /** Whether untrusted content that looked like instructions has entered the run (policy parks calls then). */
  untrustedFlagged: boolean;
  /** Calls this worker recorded with a step in this advance, by tool_use id: it runs the auto ones in memory and writes their outcome with the next step write. */
  recorded: Map<string, NewToolCall>;
  /**
   * The outcome of the auto calls just run in memory (their results, trace events and the
   * answering turn, already in `transcript`), not yet written: the next step write carries it, so
   * a step is one write. A worker that dies first leaves the calls executing, and whoever resumes
   * the run runs them again under the same idempotency keys, as after a crash mid-call.
   */
  unsaved?: StepWrite;
  /** Whether an admin has paused the agent (the kill switch), as of the last read or step write: no extra round trip per step. */
  agentPaused: boolean;
  /** What the anomaly check needs (lib/baselines), read once with the run so a step pays no round trip for it. */
  watch: {
    baselines: Baseline[] | null;
    flagged: Set<string>;
    waited: boolean;
    toolCalls: number;
    worst: { metric: string; ratio: number } | null;
  };
  /**
   * The policy version in force when the run was loaded (lib/policy), read with the run: its rules
   * judge this advance's calls. 0 when it has no rules and turns no grants off (then no document is ever read).
   */
  policyVersion: number;
};

/** What the steps keep in memory beside the run's row. */
type Memory = {
  turns: unknown[];
  calls: LoopCall[];
  flagged: boolean;
  paused: boolean;
  baselines: Baseline[] | null;
  anomalies: string[] | null;
  worst: { metric: string; ratio: number } | null;
  waited: boolean;
  settings: Partial<AgentSettings> | null;
  policy: { version: number; rules: number } | null;
};

// The run's row as Prisma's Run: every column, named as Prisma names it. `satisfies` ties the list
// to the generated table type, so a column added to runs (and regenerated) fails to compile until
// it is added here. Timestamps are read as UTC (timestamptz) like Prisma reads them, so no process
// time zone shifts them; enums as text.
const RUN_FIELDS = {
  id: "id",
  conversation_id: "conversationId",
  user_id: "userId",
  request: "request",
  agent: "agent",
  intent: "intent",
  intent_confidence: "intentConfidence",
  status: "status",
  status_reason: "statusReason",
  transcript: "transcript",
  iterations: "iterations",
  input_tokens: "inputTokens",
  output_tokens: "outputTokens",
  cost_micros: "costMicros",
  model_provider: "modelProvider",
  agent_version: "agentVersion",
  lease_owner: "leaseOwner",
  lease_until: "leaseUntil",
  deadline_at: "deadlineAt",
  created_at: "createdAt",
  updated_at: "updatedAt",
  finished_at: "finishedAt",
  mode: "mode",
  source_run_id: "sourceRunId",
} as const satisfies Record<keyof DB["runs"], keyof Run>;
const UTC_COLUMNS = new Set([
  "lease_until",
  "deadline_at",
  "created_at",
  "updated_at",
  "finished_at",
]);
const ENUM_COLUMNS = new Set(["status", "mode"]);
const RUN_COLUMNS = Object.entries(RUN_FIELDS)
  .map(([column, field]) =>
    UTC_COLUMNS.has(column)
      ? `(r.${column} at time zone 'UTC') as "${field}"`
      : ENUM_COLUMNS.has(column)
        ? `r.${column}::text as "${field}"`
        : `r.${column} as "${field}"`,
  )
  .join(", ");

// The run, whom it acts for, and what the steps keep in memory (turns, the calls' loop counters,
// the injection flag, the pause, baselines and anomalies, the settings version), from a runs row
// aliased r: the table itself (loadRunState), or the row an update returns (the move to running,
// lib/runtime/route-writes.ts, so a just-routed run is not read again). `flaggedParam` is the
// placeholder that carries FLAGGED_EVENT.
export const selectRunState = (from: string, flaggedParam: string) => `
  select
    ${RUN_COLUMNS},
    u.email as "userEmail", u.name as "userName",
    coalesce((select json_agg(t.message order by t.seq) from run_turns t where t.run_id = r.id), '[]'::json) as turns,
    coalesce((select json_agg(json_build_object('tool', c.tool, 'argsHash', c.args_hash, 'status', c.status, 'turn', c.turn, 'toolUseId', c.tool_use_id)) from tool_calls c where c.run_id = r.id), '[]'::json) as calls,
    exists (select 1 from trace_events e where e.run_id = r.id and e.kind = 'policy' and e.name = ${flaggedParam}) as flagged,
    exists (select 1 from agent_pauses p where p.agent = r.agent and p.paused) as paused,
    (select json_agg(json_build_object('metric', b.metric, 'median', b.median, 'mad', b.mad, 'sample', b.sample)) from agent_baselines b where b.agent = r.agent) as baselines,
    (select array_agg(a.metric) from run_anomalies a where a.run_id = r.id) as anomalies,
    (select json_build_object('metric', a.metric, 'ratio', a.ratio) from run_anomalies a where a.run_id = r.id order by a.ratio desc limit 1) as worst,
    exists (select 1 from approvals a where a.run_id = r.id) as waited,
    (select a.settings from agent_configs a where a.agent = r.agent and a.version = r.agent_version) as settings,
    (select json_build_object('version', p.version, 'rules', jsonb_array_length(p.document->'rules') + coalesce(jsonb_array_length(p.document->'grantsOff'), 0)) from policy_versions p order by p.version desc limit 1) as policy
  from ${from} r join users u on u.id = r.user_id`;

export type RunStateRow = Run & Memory & { userEmail: string; userName: string };

// On the pool (lib/db/index.ts says why): one statement.
const loadStatement = fixed<RunStateRow>(`${selectRunState("runs", "$2")} where r.id = $1::uuid`);

export async function loadRunState(runId: string, workerId: string): Promise<RunState | null> {
  const [row] = await loadStatement(db, [runId, FLAGGED_EVENT]);
  return row ? runStateFrom(row, workerId) : null;
}

/** A RunState from a row of selectRunState (null for a run not routed to an agent yet). */
export function runStateFrom(row: RunStateRow, workerId: string): RunState | null {
  if (!row.agent) return null;
  const {
    userEmail,
    userName,
    turns,
    calls,
    flagged,
    paused,
    baselines,
    anomalies,
    worst,
    waited,
    settings,
    policy,
    ...run
  } = row;
  const agent = registry.agent(row.agent);
  const subject: Subject = { id: run.userId, email: userEmail, name: userName };
  let deps: { value: unknown } | undefined;
  return {
    run,
    agent,
    // As settingsAt reads them: the version's saved settings over the code's defaults (version 0 or none: the defaults).
    settings: { ...defaultSettings(row.agent), ...(run.agentVersion ? settings : null) },
    subject,
    deps: () =>
      (deps ??= {
        value: agent.createDeps(subject, { mode: "live", config: agentConfig(agent) as never }),
      }).value,
    workerId,
    usage: {
      iterations: run.iterations,
      inputTokens: run.inputTokens,
      outputTokens: run.outputTokens,
      costMicros: run.costMicros,
      deadlineAt: run.deadlineAt,
    },
    transcript: joinTranscript(run.transcript, turns),
    loops: new LoopTracker(calls),
    untrustedFlagged: flagged,
    recorded: new Map(),
    unsaved: undefined,
    agentPaused: paused,
    watch: { baselines, flagged: new Set(anomalies ?? []), waited, toolCalls: calls.length, worst },
    policyVersion: policy?.rules ? policy.version : 0,
  };
}
