import { z } from "zod";
import {
  describeSettingIssue,
  NUMERIC_FIELDS,
  parseNumericInput,
  settingsReason,
  toInputValue,
  type Bounds,
  type NumericSettingKey,
} from "./setting-fields";
import {
  agentSettingsSchema,
  sloSchema,
  TOOL_POLICIES,
  type AgentSettings,
  type Slo,
  type ToolPolicy,
} from "./settings-schema";

// The agent settings form's schema, built from the server's (`agentSettingsSchema`,
// `settingsReason`): each value is read as typed (dollars for money), then the whole draft must
// pass the very schema the server action parses with, so its rule shows beside the field first.

export type ToolInfo = { name: string; description: string; irreversible: boolean };

/** One limit as typed, read in the form's units into the stored number. */
function typedSetting(field: (typeof NUMERIC_FIELDS)[number], bounds: Bounds) {
  return z.string().transform((raw, ctx) => {
    const parsed = parseNumericInput(field, raw, bounds);
    if ("value" in parsed) return parsed.value;
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  });
}

/** A number typed into an SLO field, within the bounds `sloSchema` gives (here in the form's units). */
function typedSloNumber(key: "completionSeconds" | "maxCostMicros" | "targetPercent") {
  const bound = sloSchema.shape[key];
  // Money is typed in dollars: any cent amount, the bounds shown in dollars.
  const scale = key === "maxCostMicros" ? 1_000_000 : 1;
  const min = (bound.minValue ?? 0) / scale;
  const max = (bound.maxValue ?? Number.MAX_SAFE_INTEGER) / scale;
  const integer = scale === 1 && bound.isInt;
  return z.string().transform((raw, ctx) => {
    const value = Number(raw.trim());
    const problem =
      raw.trim() === "" || !Number.isFinite(value)
        ? "Enter a number"
        : integer && !Number.isInteger(value)
          ? "Use a whole number"
          : value < min || value > max
            ? `Must be from ${min} to ${max}`
            : null;
    // Percentages keep their decimals (99.99); dollars become whole micro-dollars.
    if (problem === null) return scale === 1 ? value : Math.round(value * scale);
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  });
}

/** A tool's policy: one of the three, and never "auto" for an irreversible tool (unset: no radio ticked). */
function typedPolicy(tool: ToolInfo) {
  return z
    .string()
    .nullish()
    .transform((value, ctx) => {
      const policy = TOOL_POLICIES.find((p) => p === value);
      if (!policy) ctx.addIssue({ code: "custom", message: "Choose a policy" });
      else if (tool.irreversible && policy === "auto")
        ctx.addIssue({
          code: "custom",
          message: "An irreversible tool can never run without approval",
        });
      else return policy;
      return z.NEVER;
    });
}

/** Where an issue of `agentSettingsSchema` belongs in the form (the SLO's money is typed in dollars). */
function formPath(path: PropertyKey[]): PropertyKey[] {
  const [key, ...rest] = path;
  if (key === "toolPolicies") return ["policies", ...rest];
  if (key === "slo") return ["slo", ...(rest[0] === "maxCostMicros" ? ["maxCostDollars"] : rest)];
  if (typeof key === "string" && NUMERIC_FIELDS.some((f) => f.key === key)) return ["numbers", key];
  return path;
}

export function settingsFormSchema(bounds: Record<NumericSettingKey, Bounds>, tools: ToolInfo[]) {
  const numbers = Object.fromEntries(
    NUMERIC_FIELDS.map((field) => [field.key, typedSetting(field, bounds[field.key])]),
  ) as Record<NumericSettingKey, ReturnType<typeof typedSetting>>;
  const policies = Object.fromEntries(
    tools.map((tool) => [tool.name, typedPolicy(tool)]),
  ) as Record<string, ReturnType<typeof typedPolicy>>;
  return z
    .object({
      numbers: z.object(numbers),
      onLoop: agentSettingsSchema.shape.onLoop,
      tier: agentSettingsSchema.shape.tier,
      anomalyHold: z.boolean(),
      policies: z.object(policies),
      slo: z.object({
        completionSeconds: typedSloNumber("completionSeconds"),
        maxCostDollars: typedSloNumber("maxCostMicros"),
        targetPercent: typedSloNumber("targetPercent"),
        withoutIntervention: z.boolean(),
      }),
      reason: settingsReason,
    })
    .transform((draft, ctx) => {
      const { maxCostDollars, ...slo } = draft.slo;
      const checked = agentSettingsSchema.safeParse({
        ...draft.numbers,
        onLoop: draft.onLoop,
        tier: draft.tier,
        anomalyHold: draft.anomalyHold,
        toolPolicies: draft.policies,
        slo: { ...slo, maxCostMicros: maxCostDollars },
      });
      if (!checked.success) {
        for (const issue of checked.error.issues)
          ctx.addIssue({
            code: "custom",
            path: formPath(issue.path),
            message: describeSettingIssue(issue),
          });
        return z.NEVER;
      }
      return { settings: checked.data, reason: draft.reason };
    });
}

/** What the form holds: every value as typed, and the reason. */
export type SettingsDraft = z.input<ReturnType<typeof settingsFormSchema>>;
export type CheckedSettings = { settings: AgentSettings; reason: string };

const sloDraftOf = (slo: Slo): SettingsDraft["slo"] => ({
  completionSeconds: String(slo.completionSeconds),
  maxCostDollars: String(slo.maxCostMicros / 1_000_000),
  targetPercent: String(slo.targetPercent),
  withoutIntervention: slo.withoutIntervention,
});

/** The form's values for saved settings (or the defaults), without a reason. */
export function draftOf(settings: AgentSettings, tools: ToolInfo[]): Omit<SettingsDraft, "reason"> {
  return {
    numbers: Object.fromEntries(
      NUMERIC_FIELDS.map((f) => [f.key, toInputValue(f, settings[f.key])]),
    ) as Record<NumericSettingKey, string>,
    onLoop: settings.onLoop,
    tier: settings.tier,
    anomalyHold: settings.anomalyHold,
    policies: Object.fromEntries(
      tools.map((t) => [t.name, (settings.toolPolicies[t.name] ?? null) as ToolPolicy | null]),
    ),
    slo: sloDraftOf(settings.slo),
  };
}
