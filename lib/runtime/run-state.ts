import "server-only";
import type { Agent, Subject } from "@/lib/agent-kit";
import { defaultSettings, type AgentSettings } from "@/lib/agent-settings/settings";
import { registry } from "@/lib/agents";
import { db, pool } from "@/lib/db";
import type { Run } from "@/lib/generated/prisma/client";
import type { ChatMessage } from "@/lib/model/types";
import { FLAGGED_EVENT } from "./injection";
import { LoopTracker, type LoopCall } from "./loops";
import type { NewToolCall } from "./persist-step";
import { joinTranscript } from "./transcript";
import type { Baseline } from "@/lib/baselines/check";
import type { ScratchSession } from "@/lib/replay/session";

/** What every step of a run needs: the run, its agent, the settings version it runs under, whom it acts for, and the agent's own dependencies. */
export type RunContext = {
  run: Run;
  agent: Agent;
  settings: AgentSettings;
  subject: Subject;
  /** Built by the agent's createDeps for this subject, on first use, once per loaded run. */
  deps: () => unknown;
  /** Scratch runs only (replay, re-run, shadow: lib/replay): what the marked call sites consult instead of the real world. */
  scratch?: ScratchSession;
};

export type Usage = { iterations: number; inputTokens: number; outputTokens: number; costMicros: number; deadlineAt: Date };

/**
 * The run as the worker that holds its lease knows it, loaded once per advance and kept up to
 * date in memory as the steps go: nobody else writes these while the lease is held (a worker
 * that loses it finds out at its next write, which is fenced on the lease). Written back once
 * per step by persistStep.
 */
export type RunState = RunContext & {
  workerId: string;
  usage: Usage;
  transcript: ChatMessage[];
  loops: LoopTracker;
  /** Whether untrusted content that looked like instructions has entered the run (policy parks calls then). */
  untrustedFlagged: boolean;
  /** Calls this worker recorded with a step in this advance, by tool_use id: it runs the auto ones in memory and writes their outcome with the next step write. */
  recorded: Map<string, NewToolCall>;
  /** Whether an admin has paused the agent (the kill switch), as of the last read or step write: no extra round trip per step. */
  agentPaused: boolean;
  /** What the anomaly check needs (lib/baselines), read once with the run so a step pays no round trip for it. */
  watch: { baselines: Baseline[] | null; flagged: Set<string>; waited: boolean; toolCalls: number; worst: { metric: string; ratio: number } | null };
};

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
};

// What the steps keep in memory, in one statement (on the pool: lib/db.ts says why).
const MEMORY_SQL = `
  select
    coalesce((select json_agg(t.message order by t.seq) from run_turns t where t.run_id = r.id), '[]'::json) as turns,
    coalesce((select json_agg(json_build_object('tool', c.tool, 'argsHash', c.args_hash, 'status', c.status, 'turn', c.turn, 'toolUseId', c.tool_use_id)) from tool_calls c where c.run_id = r.id), '[]'::json) as calls,
    exists (select 1 from trace_events e where e.run_id = r.id and e.kind = 'policy' and e.name = $2) as flagged,
    exists (select 1 from agent_pauses p where p.agent = r.agent and p.paused) as paused,
    (select json_agg(json_build_object('metric', b.metric, 'median', b.median, 'mad', b.mad, 'sample', b.sample)) from agent_baselines b where b.agent = r.agent) as baselines,
    (select array_agg(a.metric) from run_anomalies a where a.run_id = r.id) as anomalies,
    (select json_build_object('metric', a.metric, 'ratio', a.ratio) from run_anomalies a where a.run_id = r.id order by a.ratio desc limit 1) as worst,
    exists (select 1 from approvals a where a.run_id = r.id) as waited,
    (select a.settings from agent_configs a where a.agent = r.agent and a.version = r.agent_version) as settings
  from runs r where r.id = $1::uuid`;

export async function loadRunState(runId: string, workerId: string): Promise<RunState | null> {
  // Two queries, sent side by side: the run with whom it acts for, and in one statement what the
  // steps keep in memory (turns, the calls' loop counters, the injection flag, the settings version).
  const [run, [memory]] = await Promise.all([
    db.run.findUniqueOrThrow({ where: { id: runId }, include: { user: { select: { id: true, email: true, name: true } } } }),
    pool()
      .query<Memory>(MEMORY_SQL, [runId, FLAGGED_EVENT])
      .then((r) => r.rows),
  ]);
  if (!run.agent || !memory) return null;
  const { user, ...rest } = run;
  const agent = registry.agent(run.agent);
  const subject: Subject = { id: user.id, email: user.email, name: user.name };
  let deps: { value: unknown } | undefined;
  return {
    run: rest,
    agent,
    // As settingsAt reads them: the version's saved settings over the code's defaults (version 0 or none: the defaults).
    settings: { ...defaultSettings(run.agent), ...(run.agentVersion ? memory.settings : null) },
    subject,
    deps: () => (deps ??= { value: agent.createDeps(subject) }).value,
    workerId,
    usage: { iterations: run.iterations, inputTokens: run.inputTokens, outputTokens: run.outputTokens, costMicros: run.costMicros, deadlineAt: run.deadlineAt },
    transcript: joinTranscript(run.transcript, memory.turns),
    loops: new LoopTracker(memory.calls),
    untrustedFlagged: memory.flagged,
    recorded: new Map(),
    agentPaused: memory.paused,
    watch: {
      baselines: memory.baselines,
      flagged: new Set(memory.anomalies ?? []),
      waited: memory.waited,
      toolCalls: memory.calls.length,
      worst: memory.worst,
    },
  };
}
