import type { OpsOverview } from "@/lib/ops/overview";
import { DistributionChart } from "./distribution-chart";
import { bucketHref, runsHref } from "./drill";
import { bucketLabel, count } from "./format";
import { TimeSeriesChart } from "./time-series-chart";
import { Table } from "@/components/ui/table";
import { formatDuration, formatMicros } from "@/lib/format";

// min-w-0: a grid item may shrink below its canvas, so the chart resizes instead of pushing the page wider.
const CARD = "min-w-0 rounded-lg border border-slate-200 bg-white p-4";

/** The charts, each with its figures beside it: totals, the peak bucket (a link to its runs). */
export function OpsCharts({ ops }: { ops: OpsOverview }) {
  const { series, scope } = ops;
  const drill = { agent: scope.agent, version: scope.version };
  const times = series.map((p) => p.at);
  const hrefs = series.map((p) => bucketHref(drill, p.at, scope.window.bucketSeconds));
  const costHrefs = series.map((p) =>
    bucketHref(drill, p.at, scope.window.bucketSeconds, { costAbove: 0 }),
  );
  const peakCost = series.reduce(
    (a, b) => (b.costMicros > a.costMicros ? b : a),
    series[0] ?? { at: 0, costMicros: 0, runs: 0 },
  );
  const peakRuns = series.reduce(
    (a, b) => (b.runs > a.runs ? b : a),
    series[0] ?? { at: 0, runs: 0 },
  );
  const peakFailures = series.reduce(
    (a, b) => (b.failures > a.failures ? b : a),
    series[0] ?? { at: 0, failures: 0 },
  );
  const totalCost = series.reduce((n, p) => n + p.costMicros, 0);
  const totalRuns = series.reduce((n, p) => n + p.runs, 0);
  const totalFailures = series.reduce((n, p) => n + p.failures, 0);
  const { duration, cost } = ops.distributions;
  const durationLabels = duration.counts.map((_, i) =>
    i === 0
      ? `<${duration.edges[0]}s`
      : i === duration.edges.length
        ? `≥${duration.edges.at(-1)}s`
        : `${duration.edges[i - 1]}–${duration.edges[i]}s`,
  );
  const costLabels = cost.counts.map((_, i) =>
    i === 0
      ? `<${formatMicros(cost.edges[0]!, 3)}`
      : i === cost.edges.length
        ? `≥${formatMicros(cost.edges.at(-1)!)}`
        : `${formatMicros(cost.edges[i - 1]!, 3)}–${formatMicros(cost.edges[i]!, 3)}`,
  );
  const costBarHrefs = cost.counts.map((_, i) =>
    i === 0
      ? null
      : runsHref(drill, {
          from: scope.window.from.toISOString(),
          to: scope.window.to.toISOString(),
          costAbove: cost.edges[i - 1]! / 1e6,
        }),
  );
  const bucket = `${formatDuration(scope.window.bucketSeconds)} buckets`;

  return (
    <section aria-labelledby="charts-heading" className="mt-6 grid gap-4 lg:grid-cols-2">
      <h2 id="charts-heading" className="sr-only">
        Charts
      </h2>
      <figure className={CARD} aria-labelledby="cost-heading">
        <figcaption id="cost-heading" className="text-sm font-semibold">
          Cost per {bucket.replace(" buckets", "")}{" "}
          <span className="font-normal text-slate-500">({bucket})</span>
        </figcaption>
        <TimeSeriesChart
          title="Cost over time"
          times={times}
          hrefs={costHrefs}
          series={[
            {
              label: "Cost ($)",
              values: series.map((p) => p.costMicros / 1e6),
              color: "#b45309",
              format: "dollars",
            },
          ]}
        />
        <dl className="mt-2 grid grid-cols-3 gap-2 text-sm" aria-label="Cost figures">
          <div>
            <dt className="text-xs text-slate-500">Total</dt>
            <dd className="tabular-nums">{formatMicros(totalCost)}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Per run</dt>
            <dd className="tabular-nums">
              {totalRuns ? formatMicros(totalCost / totalRuns, 4) : "—"}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Peak</dt>
            <dd className="tabular-nums">
              {peakCost.costMicros > 0 ? (
                <a
                  className="underline"
                  href={bucketHref(drill, peakCost.at, scope.window.bucketSeconds, {
                    costAbove: 0,
                  })}
                >
                  {formatMicros(peakCost.costMicros)} at {bucketLabel(peakCost.at)}
                </a>
              ) : (
                "—"
              )}
            </dd>
          </div>
        </dl>
      </figure>
      <figure className={CARD} aria-labelledby="runs-heading">
        <figcaption id="runs-heading" className="text-sm font-semibold">
          Runs and failures <span className="font-normal text-slate-500">({bucket})</span>
        </figcaption>
        <TimeSeriesChart
          title="Runs and failures over time"
          times={times}
          hrefs={hrefs}
          series={[
            { label: "Runs", values: series.map((p) => p.runs), color: "#0f766e", format: "count" },
            {
              label: "Failed or terminated",
              values: series.map((p) => p.failures),
              color: "#b91c1c",
              format: "count",
            },
          ]}
        />
        <dl className="mt-2 grid grid-cols-3 gap-2 text-sm" aria-label="Run figures">
          <div>
            <dt className="text-xs text-slate-500">Runs</dt>
            <dd className="tabular-nums">{count(totalRuns)}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Failed or terminated</dt>
            <dd className="tabular-nums">{count(totalFailures)}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Busiest / worst</dt>
            <dd className="tabular-nums">
              <a
                className="underline"
                href={bucketHref(drill, peakRuns.at, scope.window.bucketSeconds)}
              >
                {count(peakRuns.runs)} at {bucketLabel(peakRuns.at)}
              </a>
              {peakFailures.failures > 0 && (
                <>
                  {" · "}
                  <a
                    className="underline"
                    href={bucketHref(drill, peakFailures.at, scope.window.bucketSeconds, {
                      status: "failed",
                    })}
                  >
                    {count(peakFailures.failures)} failing at {bucketLabel(peakFailures.at)}
                  </a>
                </>
              )}
            </dd>
          </div>
        </dl>
      </figure>
      <figure className={CARD} aria-labelledby="duration-dist-heading">
        <figcaption id="duration-dist-heading" className="text-sm font-semibold">
          How long finished runs took
        </figcaption>
        <DistributionChart
          title="Run duration distribution"
          labels={durationLabels}
          counts={duration.counts}
          hrefs={duration.counts.map(() => null)}
          color="#4338ca"
        />
        <BarTable
          labels={durationLabels}
          counts={duration.counts}
          hrefs={duration.counts.map(() => null)}
          caption="Runs by duration"
        />
      </figure>
      <figure className={CARD} aria-labelledby="cost-dist-heading">
        <figcaption id="cost-dist-heading" className="text-sm font-semibold">
          What finished runs cost
        </figcaption>
        <DistributionChart
          title="Cost per run distribution"
          labels={costLabels}
          counts={cost.counts}
          hrefs={costBarHrefs}
          color="#b45309"
        />
        <BarTable
          labels={costLabels}
          counts={cost.counts}
          hrefs={costBarHrefs}
          caption="Runs by cost"
        />
      </figure>
    </section>
  );
}

function BarTable({
  labels,
  counts,
  hrefs,
  caption,
}: {
  labels: string[];
  counts: number[];
  hrefs: (string | null)[];
  caption: string;
}) {
  return (
    <Table variant="bare" density="compact" className="mt-2 tabular-nums" aria-label={caption}>
      <tbody className="flex flex-wrap gap-x-3">
        {labels.map((label, i) => (
          <tr key={label} className="flex gap-1">
            <th className="font-normal text-slate-500">{label}</th>
            <td>
              {hrefs[i] && counts[i] ? (
                <a className="underline" href={hrefs[i]!}>
                  {count(counts[i]!)}
                </a>
              ) : (
                count(counts[i] ?? 0)
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
