import Link from "next/link";
import type { RunListItem } from "@/lib/runs/queries";
import { formatCompactTimestamp, formatDollars, formatVersion } from "./format";
import { AnomalyBadges } from "./anomaly-badges";
import { RunStatusBadge } from "./run-status-badge";

export function RunsTable({ runs }: { runs: RunListItem[] }) {
  if (runs.length === 0) {
    return <p className="mt-6 rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-500">No runs match.</p>;
  }
  return (
    <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200">
      <table aria-label="Runs" className="w-full bg-white text-left text-sm">
        <thead className="bg-slate-100 text-xs uppercase text-slate-600">
          <tr>
            <th className="px-3 py-2">Request</th>
            <th className="px-3 py-2">User</th>
            <th className="px-3 py-2">Agent</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">Settings</th>
            <th className="px-3 py-2 text-right">Steps</th>
            <th className="px-3 py-2 text-right">Tokens</th>
            <th className="px-3 py-2 text-right">Cost</th>
            <th className="px-3 py-2">Started (UTC)</th>
            <th className="px-3 py-2">Finished (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="border-t border-slate-100 align-top hover:bg-slate-50">
              <td className="min-w-48 max-w-xs px-3 py-2">
                <Link href={`/runs/${run.id}`} className="font-medium text-slate-900 underline-offset-2 hover:underline">
                  {run.request}
                </Link>
              </td>
              <td className="px-3 py-2 text-slate-600">{run.requestedBy}</td>
              <td className="px-3 py-2">{run.agent ?? "—"}</td>
              <td className="px-3 py-2">
                <RunStatusBadge status={run.status} />
                {run.statusReason && <div className="mt-1 text-xs text-slate-600">{run.statusReason}</div>}
                <AnomalyBadges badges={run.anomalies} className="mt-1" />
              </td>
              <td className="px-3 py-2 text-slate-600">{run.agent ? formatVersion(run.agentVersion) : "—"}</td>
              <td className="px-3 py-2 text-right tabular-nums">{run.iterations}</td>
              <td className="px-3 py-2 text-right tabular-nums">{run.tokens.toLocaleString("en")}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatDollars(run.costMicros)}</td>
              <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                  <time dateTime={run.startedAt}>{formatCompactTimestamp(run.startedAt)}</time>
                </td>
              <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                  {run.finishedAt ? <time dateTime={run.finishedAt}>{formatCompactTimestamp(run.finishedAt)}</time> : "—"}
                </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
