import Link from "next/link";
import type { RunSummary, SuiteSummary, VersionPassRate } from "@/lib/evals/queries";
import { CELL, dollars, HEAD, TABLE, when } from "@/lib/evals/format";
import { TableScroll } from "@/components/ui/table";

export function SuitesTable({ suites }: { suites: SuiteSummary[] }) {
  return (
    <TableScroll>
      <table aria-label="Suites" className={TABLE}>
        <thead className={HEAD}>
          <tr>
            <th className={CELL}>Agent</th>
            <th className={CELL}>Suite</th>
            <th className={CELL}>Cases in files</th>
            <th className={CELL}>Recorded from decisions</th>
          </tr>
        </thead>
        <tbody>
          {suites.map((s) => (
            <tr key={`${s.agent}/${s.name}`} className="border-t border-slate-100">
              <td className={CELL}>{s.agent}</td>
              <td className={CELL}>
                <Link href={`/evals/suites/${s.agent}/${s.name}`} className="underline">
                  {s.name}
                </Link>
              </td>
              <td className={CELL}>{s.fileCases}</td>
              <td className={CELL}>
                {s.recordedCases ? `${s.recordedCases} (suite version ${s.recordedVersion})` : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function PassRateTable({ rates }: { rates: VersionPassRate[] }) {
  return (
    <TableScroll>
      <table aria-label="Pass rate per version" className={TABLE}>
        <thead className={HEAD}>
          <tr>
            <th className={CELL}>Agent</th>
            <th className={CELL}>Settings version</th>
            <th className={CELL}>Model</th>
            <th className={CELL}>Pass rate</th>
            <th className={CELL}>Last run</th>
          </tr>
        </thead>
        <tbody>
          {rates.map((r) => (
            <tr
              key={`${r.agent}:${r.version}:${r.modelProvider}`}
              className="border-t border-slate-100"
            >
              <td className={CELL}>{r.agent}</td>
              <td className={CELL}>
                v{r.version}
                {r.active && <span className="ml-1 text-xs text-emerald-700">active</span>}
              </td>
              <td className={CELL}>{r.modelProvider}</td>
              <td className={CELL}>
                {r.total ? Math.round((100 * r.passed) / r.total) : 0}% ({r.passed}/{r.total})
              </td>
              <td className={CELL}>
                <Link href={`/evals/runs/${r.runId}`} className="underline">
                  {when(r.at)}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function RunsTable({ runs }: { runs: RunSummary[] }) {
  return (
    <TableScroll>
      <table aria-label="Eval runs" className={TABLE}>
        <thead className={HEAD}>
          <tr>
            <th className={CELL}>When</th>
            <th className={CELL}>Agent</th>
            <th className={CELL}>Version</th>
            <th className={CELL}>Suites</th>
            <th className={CELL}>Result</th>
            <th className={CELL}>Regressions</th>
            <th className={CELL}>Cost · time</th>
            <th className={CELL}>By</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} className="border-t border-slate-100">
              <td className={CELL}>
                <Link href={`/evals/runs/${r.id}`} className="underline">
                  {when(r.at)}
                </Link>
              </td>
              <td className={CELL}>{r.agent}</td>
              <td className={CELL}>v{r.version}</td>
              <td className={CELL}>{r.suites}</td>
              <td className={CELL}>
                {r.passed}/{r.total} passed
              </td>
              <td className={CELL}>{r.regressions.length ? r.regressions.join(", ") : "—"}</td>
              <td className={CELL}>
                {dollars(r.costMicros)} · {(r.durationMs / 1000).toFixed(1)} s
              </td>
              <td className={CELL}>{r.by ?? r.trigger}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
