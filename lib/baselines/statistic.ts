// The baseline statistic, pure so it can be tested on its own.
//
// An agent's usual value of a per-run metric is the MEDIAN over its last BASELINE_MAX_RUNS
// finished runs of the last BASELINE_DAYS days, and its spread the MAD (median absolute deviation
// from that median). Both ignore a few wild runs, which a mean and a standard deviation do not:
// one runaway run would otherwise raise the bar for the next. Below BASELINE_MIN_SAMPLE runs there
// is no baseline, and nothing is flagged.
//
// A run is ANOMALOUS on a metric when its value exceeds median + K·MAD *and* is at least
// MIN_RATIO × the median. The first condition asks for "far outside the usual spread"; the second
// keeps a very steady agent (MAD near 0) from being flagged for a few tokens more than usual, and
// a noisy one from being flagged at 1.2× its median.

export const BASELINE_DAYS = 7;
export const BASELINE_MAX_RUNS = 200;
export const BASELINE_MIN_SAMPLE = 20;
export const ANOMALY_K = 6;
export const ANOMALY_MIN_RATIO = 3;

/** Per-run metrics checked while a run is under way; rates are baselined for alert rules only. */
export const RUN_METRICS = [
  "tokens",
  "cost_micros",
  "duration_ms",
  "iterations",
  "tool_calls",
] as const;
export type RunMetric = (typeof RUN_METRICS)[number];
export const RATE_METRICS = ["failure_rate", "intervention_rate"] as const;
export type BaselineMetric = RunMetric | (typeof RATE_METRICS)[number];

export const METRIC_NOUNS: Record<BaselineMetric, string> = {
  tokens: "tokens",
  cost_micros: "cost",
  duration_ms: "duration",
  iterations: "iterations",
  tool_calls: "tool calls",
  failure_rate: "failure rate",
  intervention_rate: "intervention rate",
};

export type Baseline = { median: number; mad: number; sample: number };

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** The baseline of a sample, or null when the sample is too small to say what is usual. */
export function baselineOf(
  values: readonly number[],
  minSample = BASELINE_MIN_SAMPLE,
): Baseline | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < minSample) return null;
  return { median: median(finite), mad: mad(finite), sample: finite.length };
}

export type AnomalyRule = { k: number; minRatio: number; minSample: number };
export const DEFAULT_ANOMALY_RULE: AnomalyRule = {
  k: ANOMALY_K,
  minRatio: ANOMALY_MIN_RATIO,
  minSample: BASELINE_MIN_SAMPLE,
};

/** How many times the usual value this is, or null when it is not anomalous (or nothing is usual yet). */
export function anomalyRatio(
  value: number,
  baseline: Baseline | null | undefined,
  rule: AnomalyRule = DEFAULT_ANOMALY_RULE,
): number | null {
  if (!baseline || baseline.sample < rule.minSample || !Number.isFinite(value)) return null;
  // A metric whose usual value is 0 (the offline model costs nothing) has no ratio to speak of.
  if (baseline.median <= 0) return null;
  const ratio = value / baseline.median;
  return value > baseline.median + rule.k * baseline.mad && ratio >= rule.minRatio ? ratio : null;
}

/** "4× this agent's usual tokens" — what the badge on a run and on its approvals says. */
export function describeAnomaly(metric: BaselineMetric, ratio: number): string {
  const shown = ratio >= 10 ? Math.round(ratio) : Math.round(ratio * 10) / 10;
  return `${shown}× this agent's usual ${METRIC_NOUNS[metric]}`;
}
