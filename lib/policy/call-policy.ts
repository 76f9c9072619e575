// Deterministic code, never model output, decides whether a call may run on its own.
import type { AnyTool } from "@/lib/agent-kit";
import type { AgentSettings } from "@/lib/agent-settings/settings";

/** Why a call waits for a human, as a code (filters, metrics) and a sentence (reviewers). */
export const REASON_CODES = [
  "irreversible",
  "required_by_settings",
  "no_confidence",
  "low_confidence",
  "untrusted_input",
  "anomalous_run",
  "policy_rule",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
export type PolicyReason = { code: ReasonCode; text: string };

/** Labels for the inbox's "why it waits" filter. */
export const REASON_LABELS: Record<ReasonCode, string> = {
  irreversible: "Irreversible",
  required_by_settings: "Required by settings",
  no_confidence: "No stated confidence",
  low_confidence: "Low confidence",
  untrusted_input: "Untrusted input",
  anomalous_run: "Anomalous run",
  policy_rule: "A policy rule",
};

export type PolicyDecision = { mode: "auto" | "approval" | "deny"; reasons: PolicyReason[] };

export function decidePolicy(input: {
  tool: Pick<AnyTool, "name" | "irreversible">;
  confidence: number | null;
  settings: Pick<AgentSettings, "toolPolicies" | "confidenceThreshold">;
  untrustedFlagged?: boolean;
  /** Why a flagged run's every call waits (the agent's anomalyHold setting), or null. */
  anomaly?: string | null;
}): PolicyDecision {
  const policy = input.settings.toolPolicies[input.tool.name] ?? "require_approval";
  if (policy === "deny") return { mode: "deny", reasons: [] };
  const reasons: PolicyReason[] = [];
  // Irreversible tools wait whatever the settings say: no setting turns this off.
  if (input.tool.irreversible) reasons.push({ code: "irreversible", text: "irreversible" });
  else if (policy === "require_approval")
    reasons.push({
      code: "required_by_settings",
      text: "approval required by the agent's settings",
    });
  if (input.confidence === null)
    reasons.push({ code: "no_confidence", text: "no stated confidence" });
  else if (input.confidence < input.settings.confidenceThreshold) {
    reasons.push({
      code: "low_confidence",
      text: `low confidence (${input.confidence.toFixed(2)} < ${input.settings.confidenceThreshold})`,
    });
  }
  if (input.untrustedFlagged)
    reasons.push({
      code: "untrusted_input",
      text: "untrusted content in context looked like instructions",
    });
  // The agent's anomalyHold setting: a run far outside its baseline asks a human for every call.
  if (input.anomaly)
    reasons.push({ code: "anomalous_run", text: `anomalous run: ${input.anomaly}` });
  return { mode: reasons.length ? "approval" : "auto", reasons };
}
