import "server-only";
import { registry } from "@/lib/agents";
import type { EffectiveSettings } from "@/lib/agent-settings/settings";
import { formatMicros } from "@/lib/format";
import { describeWait, nextUtcMidnight } from "./day";

/**
 * The agent's daily budget, checked when the router has picked the agent (a turn cannot know its
 * agent before that), registered on the runtime's hooks (lib/features.ts): a run routed to an
 * agent that has spent its budget today ends before the executor's first model call, and the user
 * is told plainly when to ask again. It promises no follow-up, so none is queued. Returns the
 * verdict; the runtime ends the run (lib/runtime/stops.ts).
 *
 * A run already past routing finishes under its own per-run cost budget, so the day's spend can
 * exceed the daily budget by at most what the runs in flight at that moment may each still spend.
 */
export async function overBudgetAtRouting(run: {
  agent: string;
  now: Date;
  /** What routing read for the run (settingsAndSpend, one round trip); null for a scratch run. */
  read: { active: EffectiveSettings; spentMicros: number } | null;
}) {
  const { agent, now, read } = run;
  // A scratch run's cost is counted apart: the live agent's daily budget does not stop it.
  if (!read) return null;
  const { version, settings } = read.active;
  const spent = read.spentMicros;
  if (spent < settings.dailyBudgetMicros) return null;
  const wait = describeWait(nextUtcMidnight(now).getTime() - now.getTime());
  const detail = `Spent ${formatMicros(spent)} of its ${formatMicros(settings.dailyBudgetMicros)} daily budget`;
  return {
    reason: `agent_daily_budget: ${detail}`,
    event: {
      name: "agent_daily_budget",
      data: { message: detail, spentMicros: spent, budgetMicros: settings.dailyBudgetMicros },
    },
    message: `The ${registry.agent(agent).title.toLowerCase()} assistant has used its budget for today, so I can't work on this request now, and nothing was done. Please ask again after midnight UTC, in ${wait}.`,
    agentVersion: version,
  };
}
