import "server-only";
import { Counter, Gauge, Registry } from "prom-client";
import type { HistogramSnapshot, MetricsSnapshot } from "./metrics-snapshot";

// The Prometheus exposition of a metrics snapshot, with prom-client. A fresh registry per scrape:
// the values are the database's, not this process's memory.

/** A histogram whose cumulative buckets come from the database (prom-client's own only observes). */
function histogramMetric(name: string, help: string, series: HistogramSnapshot[]) {
  return {
    name,
    help,
    type: "histogram",
    aggregator: "sum",
    get: async () => ({
      name,
      help,
      type: "histogram",
      aggregator: "sum",
      values: series.flatMap((h) => [
        ...h.buckets.map((le, i) => ({
          metricName: `${name}_bucket`,
          labels: { ...h.labels, le },
          value: h.counts[i]!,
        })),
        { metricName: `${name}_bucket`, labels: { ...h.labels, le: "+Inf" }, value: h.count },
        { metricName: `${name}_sum`, labels: h.labels, value: h.sum },
        { metricName: `${name}_count`, labels: h.labels, value: h.count },
      ]),
    }),
  };
}

export function prometheusRegistry(snapshot: MetricsSnapshot): Registry {
  const registry = new Registry();
  const runs = new Counter({
    name: "countersign_runs_total",
    help: "Runs by agent and status.",
    labelNames: ["agent", "status"],
    registers: [registry],
  });
  const tokens = new Counter({
    name: "countersign_model_tokens_total",
    help: "Model tokens by agent and direction (input, output).",
    labelNames: ["agent", "direction"],
    registers: [registry],
  });
  const cost = new Counter({
    name: "countersign_cost_usd_total",
    help: "Model spend in US dollars by agent.",
    labelNames: ["agent"],
    registers: [registry],
  });
  const pending = new Gauge({
    name: "countersign_approvals_pending",
    help: "Parked calls waiting for a reviewer now.",
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: "countersign_tool_calls_total",
    help: "Tool calls by agent, tool and status.",
    labelNames: ["agent", "tool", "status"],
    registers: [registry],
  });
  for (const r of snapshot.runs) {
    runs.inc({ agent: r.agent, status: r.status }, r.runs);
    tokens.inc({ agent: r.agent, direction: "input" }, r.inputTokens);
    tokens.inc({ agent: r.agent, direction: "output" }, r.outputTokens);
    cost.inc({ agent: r.agent }, r.costMicros / 1e6);
  }
  pending.set(snapshot.approvalsPending);
  for (const c of snapshot.toolCalls)
    toolCalls.inc({ agent: c.agent, tool: c.tool, status: c.status }, c.calls);
  registry.registerMetric(
    histogramMetric(
      "countersign_run_duration_seconds",
      "Duration of finished runs, created to finished, by agent.",
      snapshot.runDuration,
    ) as never,
  );
  registry.registerMetric(
    histogramMetric(
      "countersign_approval_decision_seconds",
      "Time from parking to a reviewer's decision.",
      [snapshot.decisionSeconds],
    ) as never,
  );
  return registry;
}
