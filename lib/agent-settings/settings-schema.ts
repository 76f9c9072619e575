import { z } from "zod";

// An agent's settings as data: pure (no database, no registry), so the admin form (browser) checks
// a draft with the very schema the server action parses with. lib/agent-settings/settings.ts
// re-exports all of it for the server code.

export const TOOL_POLICIES = ["auto", "require_approval", "deny"] as const;
export type ToolPolicy = (typeof TOOL_POLICIES)[number];

/**
 * The agent's service level objective, shown on /ops: `targetPercent` of its runs complete within
 * `completionSeconds` of the agent's own time (a reviewer's wait not counted: lib/ops/slo.ts), under `maxCostMicros` and (when `withoutIntervention`) with no human in
 * the loop. The rest is the error budget.
 */
export const sloSchema = z.object({
  completionSeconds: z.number().int().min(1).max(3_600),
  maxCostMicros: z.number().int().min(0).max(100_000_000),
  targetPercent: z.number().min(50).max(99.99),
  withoutIntervention: z.boolean(),
});
export type Slo = z.infer<typeof sloSchema>;

/**
 * The field notes' success metric: 95% complete in 10 s, under $0.05, without user intervention.
 * An agent with an irreversible tool asks a reviewer by design, so its default drops "without a
 * human" (defaultSettings); otherwise every parked call would count against it.
 */
export const DEFAULT_SLO: Slo = {
  completionSeconds: 10,
  maxCostMicros: 50_000,
  targetPercent: 95,
  withoutIntervention: true,
};

export const agentSettingsSchema = z.object({
  maxIterations: z.number().int().min(1).max(50),
  maxTokensPerRun: z.number().int().min(1_000).max(2_000_000),
  maxCostMicros: z.number().int().min(0).max(100_000_000),
  /** Model spend of all this agent's runs today (UTC); once reached, new turns routed to it are refused. */
  dailyBudgetMicros: z.number().int().min(0).max(10_000_000_000),
  deadlineSeconds: z.number().int().min(5).max(3_600),
  confidenceThreshold: z.number().min(0).max(1),
  approvalTtlSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 86_400),
  /** Tokens any single model call may carry; the context is compacted to fit. */
  contextBudgetTokens: z.number().int().min(1_000).max(200_000),
  /** The same call (tool and arguments) this many times, or that many steps with nothing new, is a loop. */
  loopThreshold: z.number().int().min(2).max(20),
  onLoop: z.enum(["terminate", "escalate"]),
  tier: z.enum(["small", "strong"]),
  toolPolicies: z.record(z.string(), z.enum(TOOL_POLICIES)),
  /** A run flagged as far outside this agent's baseline (lib/baselines) waits for a human on every later call. */
  anomalyHold: z.boolean().default(false),
  slo: sloSchema,
});
export type AgentSettings = z.infer<typeof agentSettingsSchema>;
