import Link from "next/link";
import type { ShadowComparison, ShadowSide } from "@/lib/shadow/compare";
import { THead, Table, TableScroll } from "@/components/ui/table";
import { formatMicros } from "@/lib/format";

const same = (ok: boolean) => (ok ? "same" : "differs");
const cost = (s: ShadowSide) =>
  `${s.tokens} tok · ${formatMicros(s.costMicros, 4)} · ${s.latencyMs === null ? "running" : `${(s.latencyMs / 1000).toFixed(1)} s`}`;

/** Each sampled live run beside its shadow run. */
export function ShadowTable({ rows }: { rows: ShadowComparison[] }) {
  if (rows.length === 0) return <p className="mt-4 text-sm text-slate-600">No shadow runs yet.</p>;
  return (
    <TableScroll>
      <Table variant="bare" className="mt-4" aria-label="Live and shadow runs">
        <THead look="quiet">
          <tr>
            <th className="py-1 pr-3">Request</th>
            <th className="py-1 pr-3">Intent</th>
            <th className="py-1 pr-3">Irreversible calls</th>
            <th className="py-1 pr-3">Answer</th>
            <th className="py-1">Tokens · cost · latency</th>
          </tr>
        </THead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.shadowRunId} className="border-t border-slate-100 align-top">
              <td className="py-2 pr-3">
                <Link href={`/runs/${r.live.runId}`} className="underline">
                  “{r.request}”
                </Link>
                <div className="text-xs text-slate-500">
                  {r.agent} live v{r.live.agentVersion ?? 0} vs shadow v{r.version}
                </div>
              </td>
              <td className="py-2 pr-3">
                {same(r.sameIntent)}
                <div className="text-xs text-slate-500">
                  live {r.live.intent ?? "—"} · shadow {r.shadow.intent ?? "—"}
                </div>
              </td>
              <td className="py-2 pr-3">
                {same(r.sameIrreversibleCalls)}
                <div className="font-mono text-xs text-slate-500">
                  live: {r.live.irreversible.join("; ") || "none"}
                </div>
                <div className="font-mono text-xs text-slate-500">
                  shadow: {r.shadow.irreversible.join("; ") || "none"}
                </div>
              </td>
              <td className="py-2 pr-3">
                {same(r.sameAnswer)}
                <div className="text-xs text-slate-500">live: {r.live.answer ?? "—"}</div>
                <div className="text-xs text-slate-500">shadow: {r.shadow.answer ?? "—"}</div>
              </td>
              <td className="py-2 text-xs">
                <div>live: {cost(r.live)}</div>
                <div>shadow: {cost(r.shadow)}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableScroll>
  );
}
