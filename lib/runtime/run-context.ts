import "server-only";
import type { Agent, Subject } from "@/lib/agent-kit";
import { settingsAt, type AgentSettings } from "@/lib/agent-settings/settings";
import { registry } from "@/lib/agents";
import { db } from "@/lib/db";
import type { Run } from "@/lib/generated/prisma/client";
import type { ScratchSession } from "@/lib/replay/session";

/** What every step of a run needs: the run, its agent, the settings version it runs under, whom it acts for, and the agent's own dependencies. */
export type RunContext = {
  run: Run;
  agent: Agent;
  settings: AgentSettings;
  subject: Subject;
  /** Built by the agent's createDeps for this subject, on first use, once per loaded run. */
  deps: () => unknown;
  /** Scratch runs only (replay, shadow): what the marked call sites consult instead of the real world. */
  scratch?: ScratchSession;
};

export async function loadRunContext(runId: string): Promise<RunContext | null> {
  const run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { user: { select: { id: true, email: true, name: true } } } });
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
  };
}
