import type { OpsOverview } from "@/lib/ops/overview";
import { count, percent } from "./format";
import { formatMicros } from "@/lib/format";

/** Each agent's SLO (its current settings) with attainment and the error budget left in the window. */
export function OpsSlos({ ops }: { ops: OpsOverview }) {
  return (
    <section aria-labelledby="slo-heading" className="mt-6">
      <h2 id="slo-heading" className="text-base font-semibold">
        Service level objectives
      </h2>
      <p className="text-xs text-slate-600">
        Set per agent by admins with the other settings (versioned). A good run completed within the
        time (not counting its wait for a reviewer), under the cost and, where the SLO says so,
        without a human.
      </p>
      <ul className="mt-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="SLOs">
        {ops.slos.map((s) => {
          const tone =
            s.met === null ? "border-slate-200" : s.met ? "border-emerald-300" : "border-red-300";
          return (
            <li
              key={s.agent}
              className={`rounded-lg border bg-white p-3 ${tone}`}
              aria-label={`SLO of ${s.agent}`}
            >
              <div className="text-sm font-semibold">{s.agent}</div>
              <div className="text-xs text-slate-600">
                {s.slo.targetPercent}% within {s.slo.completionSeconds} s of the agent&apos;s own
                time, under {formatMicros(s.slo.maxCostMicros)}
                {s.slo.withoutIntervention ? ", without a human" : ""}
              </div>
              <dl className="mt-2 grid grid-cols-2 gap-1 text-sm">
                <dt className="text-xs text-slate-500">Attainment</dt>
                <dd className="tabular-nums">{percent(s.attainment)}</dd>
                <dt className="text-xs text-slate-500">Error budget left</dt>
                <dd
                  className={`tabular-nums ${s.budgetLeft !== null && s.budgetLeft < 0 ? "text-red-700" : ""}`}
                >
                  {s.budgetLeft === null
                    ? "—"
                    : s.budgetLeft === -Infinity
                      ? "spent"
                      : percent(s.budgetLeft, 0)}
                </dd>
                <dt className="text-xs text-slate-500">Good / finished</dt>
                <dd className="tabular-nums">
                  {count(s.good)} / {count(s.finished)}
                </dd>
              </dl>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
