import Link from "next/link";
import type { RunListItem } from "@/lib/runs/queries";
import { formatVersion } from "./format";
import { AnomalyBadges } from "./anomaly-badges";
import { RunStatusBadge } from "./run-status-badge";
import { THead, Table, Td, Th } from "@/components/ui/table";
import { formatMicros, formatTimestamp } from "@/lib/format";

export function RunsTable({ runs }: { runs: RunListItem[] }) {
  if (runs.length === 0) {
    return (
      <p className="mt-6 rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-500">
        No runs match.
      </p>
    );
  }
  return (
    <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200">
      <Table aria-label="Runs" variant="plain">
        <THead>
          <tr>
            <Th>Request</Th>
            <Th>User</Th>
            <Th>Agent</Th>
            <Th>Status</Th>
            <Th>Settings</Th>
            <Th className="text-right">Steps</Th>
            <Th className="text-right">Tokens</Th>
            <Th className="text-right">Cost</Th>
            <Th>Started</Th>
            <Th>Finished</Th>
          </tr>
        </THead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="border-t border-slate-100 align-top hover:bg-slate-50">
              <td className="min-w-48 max-w-xs px-3 py-2">
                <Link
                  href={`/runs/${run.id}`}
                  className="font-medium text-slate-900 underline-offset-2 hover:underline"
                >
                  {run.request}
                </Link>
              </td>
              <Td className="text-slate-600">{run.requestedBy}</Td>
              <Td>{run.agent ?? "—"}</Td>
              <Td>
                <RunStatusBadge status={run.status} />
                {run.statusReason && (
                  <div className="mt-1 text-xs text-slate-600">{run.statusReason}</div>
                )}
                <AnomalyBadges badges={run.anomalies} className="mt-1" />
              </Td>
              <Td className="text-slate-600">
                {run.agent ? formatVersion(run.agentVersion) : "—"}
              </Td>
              <Td className="text-right tabular-nums">{run.iterations}</Td>
              <Td className="text-right tabular-nums">{run.tokens.toLocaleString("en")}</Td>
              <Td className="text-right tabular-nums">{formatMicros(run.costMicros, 4)}</Td>
              <Td className="text-slate-600">
                <Moment iso={run.startedAt} />
              </Td>
              <Td className="text-slate-600">
                {run.finishedAt ? <Moment iso={run.finishedAt} /> : "—"}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

/** A moment that may wrap between its day and its time, never inside either: the table fits 1280 px. */
function Moment({ iso }: { iso: string }) {
  const [day, time] = formatTimestamp(iso).split(", ");
  return (
    <time dateTime={iso}>
      <span className="whitespace-nowrap">{day},</span>{" "}
      <span className="whitespace-nowrap">{time}</span>
    </time>
  );
}
