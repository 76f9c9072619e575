import "server-only";
import { executor } from "@/agents";
import type { ExecutorSpec } from "@/agents/types";
import { settingsAt, type AgentSettings } from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import type { Run } from "@/lib/generated/prisma/client";

/** What every step of a run needs: the run, its agent, the settings version it runs under, and whom it acts for. */
export type RunContext = {
  run: Run;
  agent: ExecutorSpec;
  settings: AgentSettings;
  customerEmail: string;
};

export async function loadRunContext(runId: string): Promise<RunContext | null> {
  const run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { user: { select: { email: true } } } });
  if (!run.agent) return null;
  const { user, ...rest } = run;
  return { run: rest, agent: executor(run.agent), settings: await settingsAt(run.agent, run.agentVersion), customerEmail: user.email };
}
