import { z } from "zod";
import { safeText } from "@/lib/validation/text";
import { ALERT_CHANNELS, ALERT_METRICS, METRIC_INFO, RUNBOOKS } from "./rule-options";

export * from "./rule-options";

// What an alert rule says, pure so the admin form and the evaluator agree.

export const alertRuleSchema = z
  .object({
    name: safeText().trim().min(3, "name: at least 3 characters").max(120),
    enabled: z.boolean(),
    metric: z.enum(ALERT_METRICS, { message: `metric: one of ${ALERT_METRICS.join(", ")}` }),
    /** null: every agent's runs. */
    agent: z.string().trim().min(1).max(63).nullable(),
    condition: z.discriminatedUnion("mode", [
      /** Breaches when the window's value is above this, in the metric's unit. */
      z.object({ mode: z.literal("threshold"), above: z.number().min(0).max(1e12) }),
      /** Breaches when the window's value is at least `factor` × what the runs' agents usually do. */
      z.object({ mode: z.literal("baseline"), factor: z.number().min(1.1).max(1000) }),
    ]),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 1440),
    /** Fewer runs (pending approvals for the queue age) in the window: the rule says nothing, and an open alert resolves. */
    minSample: z.number().int().min(1).max(1_000_000),
    /** Breaching this long before it fires (0: at once). */
    sustainedMinutes: z.number().int().min(0).max(1440),
    channels: z.array(z.enum(ALERT_CHANNELS)).min(1, "channels: choose at least one").max(3),
    /** While it keeps firing, notify again this often (0: never). */
    renotifyMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 1440),
    resolvedMessage: safeText().trim().max(500),
    runbook: z.enum(RUNBOOKS),
  })
  .refine((r) => r.condition.mode === "threshold" || METRIC_INFO[r.metric].baseline, {
    message: "condition: this metric has no baseline; use a threshold",
    path: ["condition"],
  });
export type AlertRule = z.infer<typeof alertRuleSchema>;

const everywhere: Pick<AlertRule, "channels" | "enabled" | "agent"> = {
  channels: ["in_app", "webhook", "email"],
  enabled: true,
  agent: null,
};

/** The built-in rules (version 0 of each key); an admin's save makes version 1 and on. */
export const DEFAULT_ALERT_RULES: Record<string, AlertRule> = {
  "token-spike": {
    ...everywhere,
    name: "Runs use far more tokens than their agent usually does",
    metric: "run_tokens",
    condition: { mode: "baseline", factor: 3 },
    windowMinutes: 30,
    minSample: 3,
    sustainedMinutes: 5,
    renotifyMinutes: 60,
    resolvedMessage: "Tokens per run are back within 3× of the agents' baselines.",
    runbook: "cost-or-loop-storm",
  },
  "anomalous-runs": {
    ...everywhere,
    name: "Several runs flagged as anomalous",
    metric: "anomalous_runs",
    condition: { mode: "threshold", above: 4 },
    windowMinutes: 15,
    minSample: 1,
    sustainedMinutes: 0,
    renotifyMinutes: 60,
    resolvedMessage: "Fewer than 5 anomalous runs in the last 15 minutes.",
    runbook: "cost-or-loop-storm",
  },
  "failure-rate": {
    ...everywhere,
    name: "Many runs fail or are stopped by a limit",
    metric: "failure_rate",
    condition: { mode: "threshold", above: 0.3 },
    windowMinutes: 15,
    minSample: 10,
    sustainedMinutes: 5,
    renotifyMinutes: 60,
    resolvedMessage: "The failure rate is back under 30%.",
    runbook: "model-provider",
  },
  "approval-backlog": {
    ...everywhere,
    name: "An approval has waited more than 30 minutes",
    metric: "approval_queue_age",
    condition: { mode: "threshold", above: 1800 },
    windowMinutes: 60,
    minSample: 1,
    sustainedMinutes: 0,
    renotifyMinutes: 30,
    resolvedMessage: "No approval has waited more than 30 minutes.",
    runbook: "approval-backlog",
  },
};
