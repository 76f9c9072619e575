import "server-only";
import { registry } from "@/lib/agents";
import { effectiveSettings, type EffectiveSettings } from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import { postAssistantMessage } from "@/lib/runtime/messages";
import { transitionRun } from "@/lib/runtime/transitions";
import { recordEvent } from "@/lib/trace/events";
import { describeWait, nextUtcMidnight } from "./day";
import { agentSpentToday } from "./usage";
import { formatMicros } from "@/lib/format";

/**
 * The agent's daily budget, checked when the router has picked the agent (a turn cannot know its
 * agent before that): a run routed to an agent that has spent its budget today ends here, before
 * the executor's first model call, and the user is told plainly when to ask again. It promises no
 * follow-up, so none is queued. Returns true when the run was ended.
 *
 * A run already past routing finishes under its own per-run cost budget, so the day's spend can
 * exceed the daily budget by at most what the runs in flight at that moment may each still spend.
 */
export async function endIfAgentOverBudget(
  runId: string,
  agent: string,
  now = new Date(),
  read?: { active: EffectiveSettings; spentMicros: number },
  beforeEnding?: () => Promise<void>,
): Promise<boolean> {
  // Routing passes what it read for the run (settingsAndSpend, one round trip), so nothing is read twice.
  const { version, settings } = read?.active ?? (await effectiveSettings(agent));
  const spent = read?.spentMicros ?? (await agentSpentToday(agent, now));
  if (spent < settings.dailyBudgetMicros) return false;
  const wait = describeWait(nextUtcMidnight(now).getTime() - now.getTime());
  const detail = `Spent ${formatMicros(spent)} of its ${formatMicros(settings.dailyBudgetMicros)} daily budget`;
  // (routing writes the router's calls first, so the trace keeps its order)
  await beforeEnding?.();
  return db.$transaction(async (tx) => {
    const run = await tx.run.findUniqueOrThrow({
      where: { id: runId },
      select: { id: true, conversationId: true },
    });
    const moved = await transitionRun(
      tx,
      runId,
      "terminated",
      `agent_daily_budget: ${detail}`,
      { agent, agentVersion: version },
      ["routing"],
    );
    if (!moved) return false;
    await recordEvent(tx, {
      runId,
      kind: "limit",
      name: "agent_daily_budget",
      data: { message: detail, spentMicros: spent, budgetMicros: settings.dailyBudgetMicros },
    });
    await postAssistantMessage(
      tx,
      run,
      `The ${registry.agent(agent).title.toLowerCase()} assistant has used its budget for today, so I can't work on this request now, and nothing was done. Please ask again after midnight UTC, in ${wait}.`,
    );
    return true;
  });
}
