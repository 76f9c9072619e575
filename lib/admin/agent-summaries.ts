import "server-only";
import { registry } from "@/lib/agents";
import {
  effectiveSettings,
  settingsHistory,
  type AgentSettings,
} from "@/lib/agent-settings/settings";
import { agentSpentToday } from "@/lib/spend/usage";

export type AgentSummary = {
  name: string;
  title: string;
  description: string;
  tools: Array<{ name: string; irreversible: boolean }>;
  version: number;
  changedBy: string | null;
  settings: AgentSettings;
  /** Model spend of the agent's runs today (UTC), in micro-dollars. */
  spentTodayMicros: number;
};

/** Each agent with the settings new runs use now and who set them (for /admin and /admin/agents). */
export async function agentSummaries(): Promise<AgentSummary[]> {
  return Promise.all(
    registry.agents.map(async (spec) => {
      const [current, history, spentTodayMicros] = await Promise.all([
        effectiveSettings(spec.name),
        settingsHistory(spec.name),
        agentSpentToday(spec.name),
      ]);
      return {
        name: spec.name,
        title: spec.title,
        description: spec.description,
        tools: spec.tools.map((t) => ({ name: t.name, irreversible: t.irreversible })),
        version: current.version,
        changedBy: history[0]?.by ?? null,
        settings: current.settings,
        spentTodayMicros,
      };
    }),
  );
}
