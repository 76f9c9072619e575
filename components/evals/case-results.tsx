import type { CaseResultView } from "@/lib/evals/queries";
import { CELL, dollars, HEAD, TABLE } from "@/lib/evals/format";
import { TableScroll } from "@/components/ui/table";

export const toolsOf = (c: CaseResultView | null) =>
  c ? c.observation.calls.map((call) => `${call.tool} (${call.status})`).join(", ") || "none" : "—";
export const argumentsOf = (c: CaseResultView | null) =>
  c
    ? c.observation.calls
        .map(
          (call) =>
            `${call.tool}(${JSON.stringify(call.approval?.approvedArguments ?? call.arguments)})`,
        )
        .join("\n")
    : "—";

export function CaseResults({ cases }: { cases: CaseResultView[] }) {
  return (
    <TableScroll>
      <table aria-label="Case results" className={TABLE}>
        <thead className={HEAD}>
          <tr>
            <th className={CELL}>Case</th>
            <th className={CELL}>Result</th>
            <th className={CELL}>Tools</th>
            <th className={CELL}>Answer</th>
            <th className={CELL}>Tokens · cost</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.key} className="border-t border-slate-100">
              <td className={`${CELL} font-mono`}>
                {c.key}
                {c.source === "recorded" && (
                  <span className="ml-1 font-sans text-xs text-slate-500">recorded</span>
                )}
              </td>
              <td className={CELL}>
                {c.passed ? (
                  <span className="text-emerald-700">pass</span>
                ) : (
                  <>
                    <span className="font-medium text-red-700">fail</span>
                    <ul className="ml-4 list-disc text-red-700">
                      {c.failures.map((f) => (
                        <li key={f}>{f}</li>
                      ))}
                    </ul>
                  </>
                )}
              </td>
              <td className={CELL}>{toolsOf(c)}</td>
              <td className={`${CELL} max-w-md`}>
                {c.observation.answer || c.observation.error || "—"}
              </td>
              <td className={CELL}>
                {c.observation.tokens} · {dollars(c.observation.costMicros)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
