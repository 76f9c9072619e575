// The choices an alert rule offers, with no imports, so the admin form (browser) can use them.

export const ALERT_METRICS = [
  "run_tokens",
  "run_cost",
  "run_duration",
  "failure_rate",
  "intervention_rate",
  "approval_queue_age",
  "anomalous_runs",
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** What each metric measures over the window, in the unit its threshold is written in. */
export const METRIC_INFO: Record<AlertMetric, { label: string; unit: string; baseline: boolean }> =
  {
    run_tokens: {
      label: "Tokens per run (median of the window's runs)",
      unit: "tokens",
      baseline: true,
    },
    run_cost: { label: "Cost per run (median of the window's runs)", unit: "USD", baseline: true },
    run_duration: { label: "Duration per finished run (median)", unit: "seconds", baseline: true },
    failure_rate: {
      label: "Failure rate (failed or terminated / finished)",
      unit: "fraction 0–1",
      baseline: true,
    },
    intervention_rate: {
      label: "Intervention rate (runs with an approval / runs)",
      unit: "fraction 0–1",
      baseline: true,
    },
    approval_queue_age: {
      label: "Age of the oldest pending approval",
      unit: "seconds",
      baseline: false,
    },
    anomalous_runs: {
      label: "Runs flagged as anomalous in the window",
      unit: "runs",
      baseline: false,
    },
  };

export const ALERT_CHANNELS = ["in_app", "webhook", "email"] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** docs/runbooks/<name>.md — each alert links the one to follow. */
export const RUNBOOKS = [
  "model-provider",
  "tool-upstream",
  "approval-backlog",
  "cost-or-loop-storm",
] as const;
export type Runbook = (typeof RUNBOOKS)[number];
export const RUNBOOK_TITLES: Record<Runbook, string> = {
  "model-provider": "The model provider is failing or rate-limiting",
  "tool-upstream": "A tool's upstream is failing or stalling",
  "approval-backlog": "The approval queue is past its SLA",
  "cost-or-loop-storm": "A cost or loop storm",
};
