import type { CaseResultView } from "@/lib/evals/queries";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { formatMicros } from "@/lib/format";

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
      <Table aria-label="Case results" className="mt-3">
        <THead>
          <tr>
            <Th>Case</Th>
            <Th>Result</Th>
            <Th>Tools</Th>
            <Th>Answer</Th>
            <Th>Tokens · cost</Th>
          </tr>
        </THead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.key} className="border-t border-slate-100">
              <Td className="align-top font-mono">
                {c.key}
                {c.source === "recorded" && (
                  <span className="ml-1 font-sans text-xs text-slate-500">recorded</span>
                )}
              </Td>
              <Td className="align-top">
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
              </Td>
              <Td className="align-top">{toolsOf(c)}</Td>
              <Td className="align-top max-w-md">
                {c.observation.answer || c.observation.error || "—"}
              </Td>
              <Td className="align-top">
                {c.observation.tokens} · {formatMicros(c.observation.costMicros, 4)}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableScroll>
  );
}
