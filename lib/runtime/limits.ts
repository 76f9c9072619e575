import type { AgentSettings } from "@/lib/agent-settings/settings";

export type LimitHit = {
  limit: "max_iterations" | "token_budget" | "cost_budget" | "deadline";
  message: string;
};

type Usage = {
  iterations: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  deadlineAt: Date;
};

/** Checked before every model call: the run may not start a step it has no budget for. */
export function checkLimits(run: Usage, limits: AgentSettings, now = new Date()): LimitHit | null {
  if (run.iterations >= limits.maxIterations) {
    return {
      limit: "max_iterations",
      message: `Reached the limit of ${limits.maxIterations} step${limits.maxIterations === 1 ? "" : "s"}`,
    };
  }
  const tokens = run.inputTokens + run.outputTokens;
  if (tokens >= limits.maxTokensPerRun) {
    return { limit: "token_budget", message: `Used ${tokens} of ${limits.maxTokensPerRun} tokens` };
  }
  if (run.costMicros >= limits.maxCostMicros) {
    return {
      limit: "cost_budget",
      message: `Spent $${(run.costMicros / 1e6).toFixed(4)} of $${(limits.maxCostMicros / 1e6).toFixed(4)}`,
    };
  }
  if (now >= run.deadlineAt)
    return { limit: "deadline", message: `Ran past its ${limits.deadlineSeconds}s deadline` };
  return null;
}
