import "server-only";
import type { Agent, Subject } from "@/lib/agent-kit";
import { settingsAt, type AgentSettings } from "@/lib/agent-settings/settings";
import { registry } from "@/lib/agents";
import { db } from "@/lib/db";
import type { Run } from "@/lib/generated/prisma/client";
import type { ChatMessage } from "@/lib/model/types";
import { FLAGGED_EVENT } from "./injection";
import { LoopTracker } from "./loops";
import type { NewToolCall } from "./persist-step";
import { joinTranscript } from "./transcript";

/** What every step of a run needs: the run, its agent, the settings version it runs under, whom it acts for, and the agent's own dependencies. */
export type RunContext = {
  run: Run;
  agent: Agent;
  settings: AgentSettings;
  subject: Subject;
  /** Built by the agent's createDeps for this subject, on first use, once per loaded run. */
  deps: () => unknown;
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
};

export async function loadRunState(runId: string, workerId: string): Promise<RunState | null> {
  const [run, turns, calls, flagged] = await Promise.all([
    db.run.findUniqueOrThrow({ where: { id: runId }, include: { user: { select: { id: true, email: true, name: true } } } }),
    db.runTurn.findMany({ where: { runId }, orderBy: { seq: "asc" }, select: { message: true } }),
    db.toolCall.findMany({ where: { runId }, select: { tool: true, argsHash: true, status: true, turn: true, toolUseId: true } }),
    db.traceEvent.findFirst({ where: { runId, kind: "policy", name: FLAGGED_EVENT }, select: { id: true } }),
  ]);
  if (!run.agent) return null;
  const { user, ...rest } = run;
  const agent = registry.agent(run.agent);
  const subject: Subject = { id: user.id, email: user.email, name: user.name };
  let deps: { value: unknown } | undefined;
  return {
    run: rest,
    agent,
    settings: await settingsAt(run.agent, run.agentVersion),
    subject,
    deps: () => (deps ??= { value: agent.createDeps(subject) }).value,
    workerId,
    usage: { iterations: run.iterations, inputTokens: run.inputTokens, outputTokens: run.outputTokens, costMicros: run.costMicros, deadlineAt: run.deadlineAt },
    transcript: joinTranscript(run.transcript, turns.map((t) => t.message)),
    loops: new LoopTracker(calls),
    untrustedFlagged: flagged !== null,
    recorded: new Map(),
  };
}
