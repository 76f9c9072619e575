import Link from "next/link";
import type { AgentSummary } from "@/lib/admin/agent-summaries";
import { formatSettingValue } from "@/lib/agent-settings/setting-fields";
import { THead, Table, Td, Th } from "@/components/ui/table";

/** The agents with the settings new runs use now; each links to its settings page. */
export function AgentSummaryTable({ agents }: { agents: AgentSummary[] }) {
  return (
    <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200">
      <Table aria-label="Agents" variant="plain">
        <THead>
          <tr>
            <Th>Agent (irreversible tools in bold)</Th>
            <Th>Settings</Th>
            <Th className="text-right">Max iterations</Th>
            <Th className="text-right">Token budget</Th>
            <Th className="text-right">Cost budget</Th>
            <Th className="text-right">Spent today of daily budget</Th>
            <Th className="text-right">Deadline</Th>
            <Th className="text-right">Confidence threshold</Th>
            <Th>Model tier</Th>
          </tr>
        </THead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.name} className="border-t border-slate-100 align-top">
              <td className="min-w-64 px-3 py-2">
                <Link
                  href={`/admin/agents/${agent.name}`}
                  className="font-medium underline-offset-2 hover:underline"
                >
                  {agent.title}
                </Link>
                <div className="text-xs text-slate-500">{agent.description}</div>
                <div className="mt-1 font-mono text-xs">
                  {agent.tools.map((t) => (
                    <span
                      key={t.name}
                      className={`mr-2 inline-block ${t.irreversible ? "font-bold" : ""}`}
                    >
                      {t.name}
                      {t.irreversible && <span className="sr-only"> (irreversible)</span>}
                    </span>
                  ))}
                </div>
              </td>
              <Td>
                v{agent.version}
                <div className="text-xs text-slate-500">
                  {agent.version === 0 ? "defaults" : `by ${agent.changedBy ?? "unknown"}`}
                </div>
              </Td>
              <Td className="text-right tabular-nums">
                {formatSettingValue("maxIterations", agent.settings.maxIterations)}
              </Td>
              <Td className="text-right tabular-nums">
                {formatSettingValue("maxTokensPerRun", agent.settings.maxTokensPerRun)}
              </Td>
              <Td className="text-right tabular-nums">
                {formatSettingValue("maxCostMicros", agent.settings.maxCostMicros)}
              </Td>
              <Td className="text-right tabular-nums">
                {formatSettingValue("dailyBudgetMicros", agent.spentTodayMicros)} of{" "}
                {formatSettingValue("dailyBudgetMicros", agent.settings.dailyBudgetMicros)}
              </Td>
              <Td className="text-right tabular-nums">{agent.settings.deadlineSeconds}s</Td>
              <Td className="text-right tabular-nums">{agent.settings.confidenceThreshold}</Td>
              <Td>{agent.settings.tier}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
