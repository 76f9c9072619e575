// Deterministic code, never model output, decides whether a call may run on its own.
import type { AgentLimits, ToolSpec } from "@/agents/types";

export type PolicyDecision = { mode: "auto" | "approval"; reasons: string[] };

export function decidePolicy(input: { tool: ToolSpec<never>; confidence: number | null; limits: AgentLimits }): PolicyDecision {
  const reasons: string[] = [];
  if (input.tool.irreversible) reasons.push("irreversible");
  if (input.confidence === null) reasons.push("no stated confidence");
  else if (input.confidence < input.limits.confidenceThreshold) {
    reasons.push(`low confidence (${input.confidence.toFixed(2)} < ${input.limits.confidenceThreshold})`);
  }
  return { mode: reasons.length ? "approval" : "auto", reasons };
}
