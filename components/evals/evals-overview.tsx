import Link from "next/link";
import type { RunSummary, SuiteSummary, VersionPassRate } from "@/lib/evals/queries";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { formatDateTime, formatMicros } from "@/lib/format";

export function SuitesTable({ suites }: { suites: SuiteSummary[] }) {
  return (
    <TableScroll>
      <Table aria-label="Suites" className="mt-3">
        <THead>
          <tr>
            <Th>Agent</Th>
            <Th>Suite</Th>
            <Th>Cases in files</Th>
            <Th>Recorded from decisions</Th>
          </tr>
        </THead>
        <tbody>
          {suites.map((s) => (
            <tr key={`${s.agent}/${s.name}`} className="border-t border-slate-100">
              <Td className="align-top">{s.agent}</Td>
              <Td className="align-top">
                <Link href={`/evals/suites/${s.agent}/${s.name}`} className="underline">
                  {s.name}
                </Link>
              </Td>
              <Td className="align-top">{s.fileCases}</Td>
              <Td className="align-top">
                {s.recordedCases ? `${s.recordedCases} (suite version ${s.recordedVersion})` : "—"}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableScroll>
  );
}

export function PassRateTable({ rates }: { rates: VersionPassRate[] }) {
  return (
    <TableScroll>
      <Table aria-label="Pass rate per version" className="mt-3">
        <THead>
          <tr>
            <Th>Agent</Th>
            <Th>Settings version</Th>
            <Th>Model</Th>
            <Th>Pass rate</Th>
            <Th>Last run</Th>
          </tr>
        </THead>
        <tbody>
          {rates.map((r) => (
            <tr
              key={`${r.agent}:${r.version}:${r.modelProvider}`}
              className="border-t border-slate-100"
            >
              <Td className="align-top">{r.agent}</Td>
              <Td className="align-top">
                v{r.version}
                {r.active && <span className="ml-1 text-xs text-emerald-700">active</span>}
              </Td>
              <Td className="align-top">{r.modelProvider}</Td>
              <Td className="align-top">
                {r.total ? Math.round((100 * r.passed) / r.total) : 0}% ({r.passed}/{r.total})
              </Td>
              <Td className="align-top">
                <Link href={`/evals/runs/${r.runId}`} className="underline">
                  {formatDateTime(r.at)}
                </Link>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableScroll>
  );
}

export function RunsTable({ runs }: { runs: RunSummary[] }) {
  return (
    <TableScroll>
      <Table aria-label="Eval runs" className="mt-3">
        <THead>
          <tr>
            <Th>When</Th>
            <Th>Agent</Th>
            <Th>Version</Th>
            <Th>Suites</Th>
            <Th>Result</Th>
            <Th>Regressions</Th>
            <Th>Cost · time</Th>
            <Th>By</Th>
          </tr>
        </THead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} className="border-t border-slate-100">
              <Td className="align-top">
                <Link href={`/evals/runs/${r.id}`} className="underline">
                  {formatDateTime(r.at)}
                </Link>
              </Td>
              <Td className="align-top">{r.agent}</Td>
              <Td className="align-top">v{r.version}</Td>
              <Td className="align-top">{r.suites}</Td>
              <Td className="align-top">
                {r.passed}/{r.total} passed
              </Td>
              <Td className="align-top">{r.regressions.length ? r.regressions.join(", ") : "—"}</Td>
              <Td className="align-top">
                {formatMicros(r.costMicros, 4)} · {(r.durationMs / 1000).toFixed(1)} s
              </Td>
              <Td className="align-top">{r.by ?? r.trigger}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableScroll>
  );
}
