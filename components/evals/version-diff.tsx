import type { CaseResultView } from "@/lib/evals/queries";
import { placeholdersOf } from "@/lib/evals/properties";
import { argumentsOf, toolsOf } from "./case-results";
import { CELL, dollars, HEAD, TABLE } from "@/lib/evals/format";
import { TableScroll } from "@/components/ui/table";

type Row = { key: string; a: CaseResultView | null; b: CaseResultView | null };

// Each run had its own fresh records (an order number, a subscription): shown as {order}, {subscription}, so only real differences stand out.
const norm = (c: CaseResultView | null, text: string) =>
  c
    ? Object.entries(placeholdersOf(c.observation)).reduce(
        (out, [name, value]) => out.replaceAll(String(value), `{${name}}`),
        text,
      )
    : text;
const result = (c: CaseResultView | null) => (c ? (c.passed ? "pass" : "fail") : "not run");
const Side = ({ children, changed }: { children: React.ReactNode; changed: boolean }) => (
  <td className={`${CELL} whitespace-pre-wrap ${changed ? "bg-amber-50" : ""}`}>{children}</td>
);

/** Per case, what each version did: answer, tools, arguments, tokens and cost; differences shaded. */
export function VersionDiff({ rows, a, b }: { rows: Row[]; a: number; b: number }) {
  return (
    <TableScroll>
      <table aria-label="Per-case differences" className={TABLE}>
        <thead className={HEAD}>
          <tr>
            <th className={CELL}>Case</th>
            <th className={CELL}>What</th>
            <th className={CELL}>v{a}</th>
            <th className={CELL}>v{b}</th>
          </tr>
        </thead>
        <tbody>
          {rows.flatMap(({ key, a: left, b: right }) => {
            const lines: Array<[string, string, string]> = [
              ["result", result(left), result(right)],
              [
                "answer",
                norm(left, left?.observation.answer ?? "—"),
                norm(right, right?.observation.answer ?? "—"),
              ],
              ["tools", toolsOf(left), toolsOf(right)],
              ["arguments", norm(left, argumentsOf(left)), norm(right, argumentsOf(right))],
              [
                "tokens",
                String(left?.observation.tokens ?? "—"),
                String(right?.observation.tokens ?? "—"),
              ],
              [
                "cost",
                left ? dollars(left.observation.costMicros) : "—",
                right ? dollars(right.observation.costMicros) : "—",
              ],
            ];
            return lines.map(([what, l, r], i) => (
              <tr key={`${key}:${what}`} className={i === 0 ? "border-t-2 border-slate-200" : ""}>
                {i === 0 && (
                  <td rowSpan={lines.length} className={`${CELL} font-mono`}>
                    {key}
                  </td>
                )}
                <td className={`${CELL} text-slate-500`}>{what}</td>
                <Side changed={l !== r}>{l}</Side>
                <Side changed={l !== r}>{r}</Side>
              </tr>
            ));
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
