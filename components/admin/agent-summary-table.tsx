import Link from "next/link";
import type { AgentSettings } from "@/lib/agent-settings/settings";
import { formatSettingValue } from "./agent-setting-fields";

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

/** The agents with the settings new runs use now; each links to its settings page. */
export function AgentSummaryTable({ agents }: { agents: AgentSummary[] }) {
  return (
    <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200">
      <table aria-label="Agents" className="w-full bg-white text-left text-sm">
        <thead className="bg-slate-100 text-xs uppercase text-slate-600">
          <tr>
            <th className="px-3 py-2">Agent (irreversible tools in bold)</th>
            <th className="px-3 py-2">Settings</th>
            <th className="px-3 py-2 text-right">Max iterations</th>
            <th className="px-3 py-2 text-right">Token budget</th>
            <th className="px-3 py-2 text-right">Cost budget</th>
            <th className="px-3 py-2 text-right">Spent today of daily budget</th>
            <th className="px-3 py-2 text-right">Deadline</th>
            <th className="px-3 py-2 text-right">Confidence threshold</th>
            <th className="px-3 py-2">Model tier</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.name} className="border-t border-slate-100 align-top">
              <td className="min-w-64 px-3 py-2">
                <Link href={`/admin/agents/${agent.name}`} className="font-medium underline-offset-2 hover:underline">
                  {agent.title}
                </Link>
                <div className="text-xs text-slate-500">{agent.description}</div>
                <div className="mt-1 font-mono text-xs">
                  {agent.tools.map((t) => (
                    <span key={t.name} className={`mr-2 inline-block ${t.irreversible ? "font-bold" : ""}`}>
                      {t.name}
                      {t.irreversible && <span className="sr-only"> (irreversible)</span>}
                    </span>
                  ))}
                </div>
              </td>
              <td className="px-3 py-2">
                v{agent.version}
                <div className="text-xs text-slate-500">{agent.version === 0 ? "defaults" : `by ${agent.changedBy ?? "unknown"}`}</div>
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatSettingValue("maxIterations", agent.settings.maxIterations)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatSettingValue("maxTokensPerRun", agent.settings.maxTokensPerRun)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatSettingValue("maxCostMicros", agent.settings.maxCostMicros)}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {formatSettingValue("dailyBudgetMicros", agent.spentTodayMicros)} of {formatSettingValue("dailyBudgetMicros", agent.settings.dailyBudgetMicros)}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{agent.settings.deadlineSeconds}s</td>
              <td className="px-3 py-2 text-right tabular-nums">{agent.settings.confidenceThreshold}</td>
              <td className="px-3 py-2">{agent.settings.tier}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
