import type { CaseResultView } from "@/lib/evals/queries";
import { placeholdersOf } from "@/lib/evals/properties";
import { argumentsOf, toolsOf } from "./case-results";
import { cn } from "@/components/ui/cn";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { formatMicros } from "@/lib/format";

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
  <Td className={cn("whitespace-pre-wrap align-top", changed && "bg-amber-50")}>{children}</Td>
);

/** Per case, what each version did: answer, tools, arguments, tokens and cost; differences shaded. */
export function VersionDiff({ rows, a, b }: { rows: Row[]; a: number; b: number }) {
  return (
    <TableScroll>
      <Table aria-label="Per-case differences" className="mt-3">
        <THead>
          <tr>
            <Th>Case</Th>
            <Th>What</Th>
            <Th>v{a}</Th>
            <Th>v{b}</Th>
          </tr>
        </THead>
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
                left ? formatMicros(left.observation.costMicros, 4) : "—",
                right ? formatMicros(right.observation.costMicros, 4) : "—",
              ],
            ];
            return lines.map(([what, l, r], i) => (
              <tr key={`${key}:${what}`} className={i === 0 ? "border-t-2 border-slate-200" : ""}>
                {i === 0 && (
                  <Td rowSpan={lines.length} className="align-top font-mono">
                    {key}
                  </Td>
                )}
                <Td className="align-top text-slate-500">{what}</Td>
                <Side changed={l !== r}>{l}</Side>
                <Side changed={l !== r}>{r}</Side>
              </tr>
            ));
          })}
        </tbody>
      </Table>
    </TableScroll>
  );
}
