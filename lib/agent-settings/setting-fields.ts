import type { AgentSettings, Slo, ToolPolicy } from "@/lib/agent-settings/settings-schema";
import { formatMicros } from "@/lib/format";
import { safeText } from "@/lib/validation/text";

// How each agent setting is labelled, entered and shown. Pure, so the settings form (browser),
// the history (server) and the agents list agree on names. The bounds themselves come from the
// domain's zod schema (as JSON Schema), never from a copy here.

export type NumericSettingKey = Exclude<
  keyof AgentSettings,
  "onLoop" | "tier" | "toolPolicies" | "anomalyHold" | "slo"
>;
export type Bounds = { min: number; max: number; integer: boolean };

/** Why an admin changes an agent's settings: the server's rule, which the form checks first. */
export const settingsReason = safeText()
  .trim()
  .min(3, "Say why you are changing the settings")
  .max(500, "Keep the reason under 500 characters");

export type NumericField = {
  key: NumericSettingKey;
  label: string;
  hint: string;
  unit?: "dollars";
};

export const NUMERIC_FIELDS: readonly NumericField[] = [
  {
    key: "maxIterations",
    label: "Max iterations",
    hint: "Model steps a run may take before it is stopped.",
  },
  {
    key: "maxTokensPerRun",
    label: "Token budget",
    hint: "Input and output tokens a run may use in all.",
  },
  {
    key: "maxCostMicros",
    label: "Cost budget in dollars",
    hint: "Model spend a run may reach, from the price table.",
    unit: "dollars",
  },
  {
    key: "dailyBudgetMicros",
    label: "Daily budget in dollars",
    hint: "Model spend of all this agent's runs today (UTC); once reached, new requests for it are refused until midnight UTC.",
    unit: "dollars",
  },
  {
    key: "deadlineSeconds",
    label: "Wall-clock deadline in seconds",
    hint: "Time a run may take from routing to its end.",
  },
  {
    key: "confidenceThreshold",
    label: "Confidence threshold",
    hint: "From 0 to 1: below this stated confidence a call waits for a human, even a harmless one.",
  },
  {
    key: "approvalTtlSeconds",
    label: "Approval time-to-live in seconds",
    hint: "How long a parked call waits for a reviewer before it expires.",
  },
  {
    key: "contextBudgetTokens",
    label: "Context budget in tokens",
    hint: "Largest prompt any single model call may carry; older steps are summarised to fit.",
  },
  {
    key: "loopThreshold",
    label: "Loop threshold",
    hint: "Repeats of the same call, or steps without progress, that count as a loop.",
  },
];

export const ON_LOOP_LABELS: Record<AgentSettings["onLoop"], string> = {
  terminate: "Terminate the run",
  escalate: "Hand it to a human",
};
export const TIER_LABELS: Record<AgentSettings["tier"], string> = {
  small: "Small (fast, cheap)",
  strong: "Strong",
};
export const POLICY_LABELS: Record<ToolPolicy, string> = {
  auto: "Auto",
  require_approval: "Require approval",
  deny: "Deny",
};

const MICROS_PER_DOLLAR = 1_000_000;

/** Bounds of a number in a JSON Schema node (also inside a nullable `anyOf`). */
export function jsonSchemaBounds(node: unknown): Bounds | null {
  if (typeof node !== "object" || node === null) return null;
  const n = node as { type?: unknown; minimum?: unknown; maximum?: unknown; anyOf?: unknown };
  if (Array.isArray(n.anyOf)) {
    for (const option of n.anyOf) {
      const bounds = jsonSchemaBounds(option);
      if (bounds) return bounds;
    }
    return null;
  }
  if (
    (n.type !== "integer" && n.type !== "number") ||
    typeof n.minimum !== "number" ||
    typeof n.maximum !== "number"
  )
    return null;
  return { min: n.minimum, max: n.maximum, integer: n.type === "integer" };
}

/** Every numeric setting's bounds, read from the settings schema's JSON Schema `properties`. */
export function settingsBounds(
  properties: Record<string, unknown>,
): Record<NumericSettingKey, Bounds> {
  return Object.fromEntries(
    NUMERIC_FIELDS.map((f) => {
      const bounds = jsonSchemaBounds(properties[f.key]);
      if (!bounds) throw new Error(`The settings schema gives no bounds for ${f.key}`);
      return [f.key, bounds];
    }),
  ) as Record<NumericSettingKey, Bounds>;
}

/** What the admin sees in an input: dollars for the cost budget, the stored number otherwise. */
export function toInputValue(field: Pick<NumericField, "unit">, value: number): string {
  return field.unit === "dollars" ? String(value / MICROS_PER_DOLLAR) : String(value);
}

/** Parses an input into the stored number, or says clearly what is wrong with it. */
export function parseNumericInput(
  field: Pick<NumericField, "label" | "unit">,
  raw: string,
  bounds: Bounds,
): { value: number } | { error: string } {
  const text = raw.trim();
  if (text === "") return { error: `Enter the ${field.label.toLowerCase()}` };
  const entered = Number(text);
  if (!Number.isFinite(entered)) return { error: "Enter a number" };
  const dollars = field.unit === "dollars";
  const value = dollars ? Math.round(entered * MICROS_PER_DOLLAR) : entered;
  if (!dollars && bounds.integer && !Number.isInteger(value))
    return { error: "Use a whole number" };
  if (value < bounds.min || value > bounds.max) {
    const show = (n: number) => (dollars ? formatMicros(n) : n.toLocaleString("en"));
    return { error: `Must be from ${show(bounds.min)} to ${show(bounds.max)}` };
  }
  return { value };
}

export function formatSettingValue(key: keyof AgentSettings, value: unknown): string {
  if (value === undefined) return "the default";
  if ((key === "maxCostMicros" || key === "dailyBudgetMicros") && typeof value === "number")
    return formatMicros(value);
  if (key === "onLoop") return ON_LOOP_LABELS[value as AgentSettings["onLoop"]] ?? String(value);
  if (key === "tier") return String(value);
  if (key === "anomalyHold") return value ? "on" : "off";
  if (key === "slo" && typeof value === "object" && value !== null)
    return describeSlo(value as Slo);
  if (typeof value === "number") return value.toLocaleString("en");
  return JSON.stringify(value);
}

const SETTING_LABELS: Record<Exclude<keyof AgentSettings, "toolPolicies">, string> = {
  ...(Object.fromEntries(NUMERIC_FIELDS.map((f) => [f.key, f.label])) as Record<
    NumericSettingKey,
    string
  >),
  onLoop: "On loop",
  tier: "Model tier",
  anomalyHold: "Hold anomalous runs",
  slo: "Service level objective",
};

/** "95% of runs within 10 s, under $0.05, without a human". */
export function describeSlo(slo: Slo): string {
  return `${slo.targetPercent}% of runs within ${slo.completionSeconds} s, under ${formatMicros(slo.maxCostMicros)}${slo.withoutIntervention ? ", without a human" : ""}`;
}

export const settingLabel = (key: string): string =>
  SETTING_LABELS[key as keyof typeof SETTING_LABELS] ?? key;

/** What changed from one version to the next, one line per setting, in a person's words. */
export function settingsChanges(before: AgentSettings, after: AgentSettings): string[] {
  const changes: string[] = [];
  for (const key of Object.keys(SETTING_LABELS) as Array<keyof typeof SETTING_LABELS>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes.push(
        `${settingLabel(key)}: ${formatSettingValue(key, before[key])} → ${formatSettingValue(key, after[key])}`,
      );
  }
  const tools = new Set([...Object.keys(before.toolPolicies), ...Object.keys(after.toolPolicies)]);
  for (const tool of [...tools].sort()) {
    const was = before.toolPolicies[tool];
    const now = after.toolPolicies[tool];
    if (was !== now)
      changes.push(
        `${tool}: ${was ? POLICY_LABELS[was] : "unset"} → ${now ? POLICY_LABELS[now] : "unset"}`,
      );
  }
  return changes;
}

type SettingIssue = {
  code: string;
  path: PropertyKey[];
  message: string;
  maximum?: unknown;
  minimum?: unknown;
  expected?: unknown;
  values?: unknown;
};

/** One schema issue in the form's words: "Max iterations must be at most 50". */
export function describeSettingIssue(issue: SettingIssue): string {
  const [key, tool] = issue.path;
  const settingKey = String(key ?? "");
  const field =
    key === "toolPolicies" && typeof tool === "string"
      ? `The policy of ${tool}`
      : key === undefined
        ? "Settings"
        : settingLabel(settingKey);
  const bound = (value: unknown) =>
    formatSettingValue(
      settingKey as keyof AgentSettings,
      typeof value === "bigint" ? Number(value) : value,
    );
  switch (issue.code) {
    case "too_big":
      return `${field} must be at most ${bound(issue.maximum)}`;
    case "too_small":
      return `${field} must be at least ${bound(issue.minimum)}`;
    case "invalid_type":
      if (issue.expected === "int") return `${field} must be a whole number`;
      if (issue.expected === "number") return `${field} must be a number`;
      return `${field} is missing or malformed`;
    case "invalid_value":
      return Array.isArray(issue.values)
        ? `${field} must be one of ${issue.values.join(", ")}`
        : `${field}: ${issue.message}`;
    default:
      return `${field}: ${issue.message}`;
  }
}
