import type { ScratchComparisonView, SideView } from "@/lib/replay/queries";
import { THead, Table } from "@/components/ui/table";
import { formatMicros } from "@/lib/format";

const SECTION = "rounded-lg border border-slate-200 bg-white p-5";

function Side({ title, side }: { title: string; side: SideView }) {
  return (
    <section aria-label={title} className={SECTION}>
      <h2 className="text-sm font-semibold uppercase text-slate-500">{title}</h2>
      <dl className="mt-2 grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">Ended</dt>
        <dd>
          {side.status}
          {side.statusReason && ` (${side.statusReason})`}
        </dd>
        <dt className="text-slate-500">Settings</dt>
        <dd>v{side.agentVersion ?? 0}</dd>
        <dt className="text-slate-500">Tokens · cost</dt>
        <dd>
          {side.tokens} · {formatMicros(side.costMicros, 4)}
        </dd>
        <dt className="text-slate-500">Answer</dt>
        <dd className="whitespace-pre-wrap">{side.answer ?? "—"}</dd>
      </dl>
      <h3 className="mt-4 text-xs font-semibold uppercase text-slate-500">Tool calls</h3>
      <ul className="mt-1 space-y-1 text-sm">
        {side.calls.map((c, i) => (
          <li key={i} className="font-mono text-xs">
            {c.tool}({JSON.stringify(c.arguments)}) → {c.status}
          </li>
        ))}
      </ul>
      <h3 className="mt-4 text-xs font-semibold uppercase text-slate-500">Trace</h3>
      <ol className="mt-1 space-y-0.5 text-xs">
        {side.steps.map((s) => (
          <li key={s.seq}>
            <span className="text-slate-500">{s.kind}</span> {s.name}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The original run and its replay or re-run, side by side, with the divergences on top. */
export function SideBySide({ view }: { view: ScratchComparisonView }) {
  return (
    <div className="mt-4 space-y-6">
      <section aria-labelledby="divergences-title" className={SECTION}>
        <h1 id="divergences-title" className="text-lg font-semibold">
          {view.kind === "replay" ? "Replay" : `Re-run with settings v${view.version}`}:{" "}
          {view.divergences.length === 0
            ? "no divergence"
            : `${view.divergences.length} difference${view.divergences.length === 1 ? "" : "s"}`}
        </h1>
        {view.divergences.length > 0 && (
          <Table variant="bare" className="mt-3">
            <THead look="quiet">
              <tr>
                <th className="py-1 pr-3">Where</th>
                <th className="py-1 pr-3">Recorded</th>
                <th className="py-1">{view.kind === "replay" ? "Replayed" : "Re-run"}</th>
              </tr>
            </THead>
            <tbody>
              {view.divergences.map((d, i) => (
                <tr key={i} className="border-t border-slate-100 align-top">
                  <td className="py-1 pr-3">{d.at}</td>
                  <td className="py-1 pr-3">{d.recorded ?? "—"}</td>
                  <td className="py-1">{d.replayed ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
      <div className="grid gap-6 lg:grid-cols-2">
        <Side title="Original" side={view.original} />
        <Side
          title={view.kind === "replay" ? "Replay" : `Re-run (v${view.version})`}
          side={view.scratch}
        />
      </div>
    </div>
  );
}
