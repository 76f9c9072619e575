// Deterministic code, never model output, decides whether a call may run on its own.
import type { AnyTool } from "@/lib/agent-kit";
import type { AgentSettings } from "@/lib/agent-settings/settings";

export type PolicyDecision = { mode: "auto" | "approval" | "deny"; reasons: string[] };

export function decidePolicy(input: { tool: AnyTool; confidence: number | null; settings: AgentSettings; untrustedFlagged?: boolean }): PolicyDecision {
  const policy = input.settings.toolPolicies[input.tool.name] ?? "require_approval";
  if (policy === "deny") return { mode: "deny", reasons: ["denied by the agent's settings"] };
  const reasons: string[] = [];
  // Irreversible tools wait whatever the settings say: no setting turns this off.
  if (input.tool.irreversible) reasons.push("irreversible");
  else if (policy === "require_approval") reasons.push("approval required by the agent's settings");
  if (input.confidence === null) reasons.push("no stated confidence");
  else if (input.confidence < input.settings.confidenceThreshold) {
    reasons.push(`low confidence (${input.confidence.toFixed(2)} < ${input.settings.confidenceThreshold})`);
  }
  if (input.untrustedFlagged) reasons.push("untrusted content in context looked like instructions");
  return { mode: reasons.length ? "approval" : "auto", reasons };
}
