import { describe, expect, it } from "vitest";
import { z } from "zod";
import { settingsBounds } from "./setting-fields";
import { draftOf, settingsFormSchema, type ToolInfo } from "./settings-form";
import { agentSettingsSchema, type AgentSettings } from "./settings-schema";

// As the admin page reads them from agentSettingsSchema.
const { properties } = z.toJSONSchema(agentSettingsSchema, { io: "input" }) as {
  properties: Record<string, unknown>;
};
const bounds = settingsBounds(properties);
const tools: ToolInfo[] = [
  { name: "lookup_order", description: "", irreversible: false },
  { name: "issue_refund", description: "", irreversible: true },
];
const settings: AgentSettings = {
  maxIterations: 8,
  maxTokensPerRun: 50_000,
  maxCostMicros: 250_000,
  dailyBudgetMicros: 100_000_000,
  deadlineSeconds: 60,
  confidenceThreshold: 0.7,
  approvalTtlSeconds: 3_600,
  contextBudgetTokens: 24_000,
  loopThreshold: 3,
  onLoop: "terminate",
  tier: "small",
  anomalyHold: false,
  toolPolicies: { lookup_order: "auto", issue_refund: "require_approval" },
  slo: {
    completionSeconds: 10,
    maxCostMicros: 50_000,
    targetPercent: 99.99,
    withoutIntervention: true,
  },
};
const schema = settingsFormSchema(bounds, tools);

describe("the agent settings form's schema", () => {
  it("reads the draft of saved settings back into the very same settings, the reason trimmed", () => {
    expect(schema.parse({ ...draftOf(settings, tools), reason: "  a busy week  " })).toEqual({
      settings,
      reason: "a busy week",
    });
  });

  it("names each wrong field with the form's words", () => {
    const draft = draftOf(settings, tools);
    const result = schema.safeParse({
      ...draft,
      numbers: { ...draft.numbers, maxIterations: "0", loopThreshold: "2.5" },
      policies: { lookup_order: null, issue_refund: "auto" },
      slo: { ...draft.slo, completionSeconds: "", maxCostDollars: "101" },
      reason: "x",
    });
    const byField = Object.fromEntries(
      result.error!.issues.map((i) => [i.path.join("."), i.message]),
    );
    expect(byField).toEqual({
      "numbers.maxIterations": "Must be from 1 to 50",
      "numbers.loopThreshold": "Use a whole number",
      "policies.lookup_order": "Choose a policy",
      "policies.issue_refund": "An irreversible tool can never run without approval",
      "slo.completionSeconds": "Enter a number",
      "slo.maxCostDollars": "Must be from 0 to 100",
      reason: "Say why you are changing the settings",
    });
  });
});
