import "server-only";
import { ValueType } from "@opentelemetry/api";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type CollectionResult,
  type MetricData,
  type MetricProducer,
} from "@opentelemetry/sdk-metrics";
import { log } from "@/lib/log";
import { metricsSnapshot, type HistogramSnapshot, type MetricsSnapshot } from "./metrics-snapshot";

// The same series as GET /api/metrics, as OpenTelemetry metrics over OTLP/HTTP, exported by the
// worker process when OTEL_EXPORTER_OTLP_ENDPOINT is set. A metric producer reads the database
// at each export (cumulative totals, like the Prometheus counters), so every worker exports the
// same truth; names follow the Prometheus ones without the `_total` suffix an OTLP → Prometheus
// bridge adds back.

const resource = resourceFromAttributes({ "service.name": "countersign" });
// Cumulative series start when this process did (the totals themselves are all-time).
const START = hr(Date.now() - process.uptime() * 1000);

function hr(ms: number): [number, number] {
  return [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
}

const descriptor = (name: string, description: string, unit = "") => ({
  name,
  description,
  unit,
  valueType: ValueType.DOUBLE,
});

function sum(
  name: string,
  description: string,
  points: { attributes: Record<string, string>; value: number }[],
  unit = "",
): MetricData {
  const now = hr(Date.now());
  return {
    descriptor: descriptor(name, description, unit),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic: true,
    dataPoints: points.map((p) => ({
      startTime: START,
      endTime: now,
      attributes: p.attributes,
      value: p.value,
    })),
  };
}

function histogram(name: string, description: string, series: HistogramSnapshot[]): MetricData {
  const now = hr(Date.now());
  return {
    descriptor: descriptor(name, description, "s"),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: series.map((h) => ({
      startTime: START,
      endTime: now,
      attributes: h.labels,
      // OTLP counts per bucket (not cumulative), one more than the boundaries.
      value: {
        buckets: {
          boundaries: h.buckets,
          counts: [
            ...h.counts.map((c, i) => c - (i ? h.counts[i - 1]! : 0)),
            h.count - (h.counts.at(-1) ?? 0),
          ],
        },
        sum: h.sum,
        count: h.count,
      },
    })),
  };
}

export function otlpMetrics(s: MetricsSnapshot): MetricData[] {
  const now = hr(Date.now());
  return [
    sum(
      "countersign_runs",
      "Runs by agent and status.",
      s.runs.map((r) => ({ attributes: { agent: r.agent, status: r.status }, value: r.runs })),
    ),
    sum(
      "countersign_model_tokens",
      "Model tokens by agent and direction.",
      s.runs.flatMap((r) => [
        { attributes: { agent: r.agent, direction: "input" }, value: r.inputTokens },
        { attributes: { agent: r.agent, direction: "output" }, value: r.outputTokens },
      ]),
    ),
    sum(
      "countersign_cost_usd",
      "Model spend in US dollars by agent.",
      s.runs.map((r) => ({ attributes: { agent: r.agent }, value: r.costMicros / 1e6 })),
      "USD",
    ),
    {
      descriptor: descriptor(
        "countersign_approvals_pending",
        "Parked calls waiting for a reviewer now.",
      ),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: [{ startTime: now, endTime: now, attributes: {}, value: s.approvalsPending }],
    },
    sum(
      "countersign_tool_calls",
      "Tool calls by agent, tool and status.",
      s.toolCalls.map((c) => ({
        attributes: { agent: c.agent, tool: c.tool, status: c.status },
        value: c.calls,
      })),
    ),
    histogram(
      "countersign_run_duration_seconds",
      "Duration of finished runs by agent.",
      s.runDuration,
    ),
    histogram(
      "countersign_approval_decision_seconds",
      "Time from parking to a reviewer's decision.",
      [s.decisionSeconds],
    ),
  ];
}

const databaseProducer: MetricProducer = {
  async collect(): Promise<CollectionResult> {
    return {
      resourceMetrics: {
        resource,
        scopeMetrics: [
          { scope: { name: "countersign.ops" }, metrics: otlpMetrics(await metricsSnapshot()) },
        ],
      },
      errors: [],
    };
  },
};

let provider: MeterProvider | undefined;

/** Starts the periodic export (default every 60 s) when an endpoint is configured; idempotent. */
export function startMetricsExport(
  options: { url?: string; intervalMs?: number } = {},
): MeterProvider | undefined {
  const base = options.url ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (provider || !base) return provider;
  const exporter = new OTLPMetricExporter(options.url ? { url: options.url } : {});
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: options.intervalMs ?? 60_000,
    metricProducers: [databaseProducer],
  });
  provider = new MeterProvider({ resource, readers: [reader] });
  log.info("otlp metrics export started", { interval_ms: options.intervalMs ?? 60_000 });
  return provider;
}

export async function stopMetricsExport(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
}
