import Link from "next/link";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import type { SimulationReport, Tally, Verdict } from "@/lib/policy/simulate";

// What a draft would have done to the recorded calls, beside what the rules in force did.

const ROWS: Array<{ label: string; of: (t: Tally) => number }> = [
  { label: "Calls", of: (t) => t.calls },
  { label: "Would have waited for a person", of: (t) => t.waits },
  { label: "Run automatically", of: (t) => t.auto },
  { label: "Refused", of: (t) => t.denied },
  { label: "Needed two people or more", of: (t) => t.needTwoOrMore },
];

function verdictText(v: Verdict): string {
  if (v.kind === "denied") return "refused";
  if (v.kind === "auto") return "run automatically";
  const people = v.approvals >= 2 ? `${v.approvals} people` : "a person";
  return `waits for ${people}${v.team ? ` in ${v.team}'s queue` : ""}`;
}

export function SimulationResult({ report }: { report: SimulationReport }) {
  const teams = [
    ...new Set([...Object.keys(report.current.byTeam), ...Object.keys(report.draft.byTeam)]),
  ].sort();
  const rows = [
    ...ROWS,
    ...teams.map((team) => ({
      label: `Sent to ${team}'s queue`,
      of: (t: Tally) => t.byTeam[team] ?? 0,
    })),
  ];
  return (
    <section aria-labelledby="simulation-title" className="space-y-3">
      <h2 id="simulation-title" className="text-lg font-semibold">
        The last {report.days} days under this draft
      </h2>
      <p className="text-sm text-slate-600">
        {report.current.calls.toLocaleString("en")} recorded calls from {report.from.slice(0, 10)}{" "}
        to {report.to.slice(0, 10)}, replayed in {(report.durationMs / 1000).toFixed(1)} s.{" "}
        {report.changed.total.toLocaleString("en")} would have gone another way.
        {report.facts.notLooked > 0 &&
          ` Facts about customers were looked up for ${report.facts.looked} calls; ${report.facts.notLooked} were judged without them.`}
      </p>
      <TableScroll>
        <Table>
          <THead>
            <tr>
              <Th> </Th>
              <Th className="text-right">What happened (version {report.current.version})</Th>
              <Th className="text-right">Under this draft</Th>
            </tr>
          </THead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label} className="border-t border-slate-100">
                <Th scope="row" className="font-normal">
                  {row.label}
                </Th>
                <Td className="text-right tabular-nums">
                  {row.of(report.current).toLocaleString("en")}
                </Td>
                <Td className="text-right tabular-nums">
                  {row.of(report.draft).toLocaleString("en")}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </TableScroll>
      {report.examples.length > 0 && (
        <>
          <h3 className="font-medium">Calls that would have gone another way</h3>
          <ul className="space-y-1 text-sm">
            {report.examples.map((e) => (
              <li key={e.toolCallId}>
                <Link href={`/runs/${e.runId}`} className="underline">
                  {e.tool} ({e.agent}), {e.at.slice(0, 16).replace("T", " ")}
                </Link>
                : {verdictText(e.before)} → {verdictText(e.after)}
                {e.after.rules.length > 0 && (
                  <span className="text-slate-600"> (rules: {e.after.rules.join(", ")})</span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
