import { z } from "zod";
import { alertRuleSchema } from "./rule-schema";

// What saving an alert rule accepts, with no server imports, so the rules form (browser) checks a
// draft with the very schema the server action parses with.

export const ruleKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, "key: use 2–63 lowercase letters, digits, - or _");

export const saveRuleInput = z.object({
  key: ruleKeySchema,
  rule: alertRuleSchema,
  reason: z.string().trim().min(3, "reason: say why you are changing the rule").max(500),
  basedOnVersion: z.number().int().min(0).optional(),
});
export type SaveRuleInput = z.infer<typeof saveRuleInput>;

/** A number as typed, read as the form always has (empty is 0, text is NaN, which the schema names). */
const typedNumber = (raw: string) => Number(raw);

/** Where an issue of `saveRuleInput` belongs in the form: the condition's value is one field. */
function formPath(path: PropertyKey[]): PropertyKey[] {
  if (path[0] !== "rule") return path;
  if (path[1] !== "condition") return path.slice(1);
  return path.length > 2 ? ["bar"] : ["mode"];
}

/**
 * The rules form's fields as typed, read into what `saveRuleInput` parses (without the version
 * the form adds), so its messages show beside their field before anything is sent.
 */
export const ruleFormSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    metric: z.string(),
    /** Empty: every agent. */
    agent: z.string(),
    mode: z.enum(["threshold", "baseline"]),
    /** The threshold or the factor, by mode. */
    bar: z.string(),
    windowMinutes: z.string(),
    minSample: z.string(),
    sustainedMinutes: z.string(),
    renotifyMinutes: z.string(),
    channels: z.array(z.string()),
    runbook: z.string(),
    enabled: z.boolean(),
    resolvedMessage: z.string(),
    reason: z.string(),
  })
  .transform((f, ctx) => {
    // Text that is not a number is named in words at its field, not as the schema's NaN.
    const notNumbers = new Set<PropertyKey>(
      (
        ["bar", "windowMinutes", "minSample", "sustainedMinutes", "renotifyMinutes"] as const
      ).filter((field) => !Number.isFinite(typedNumber(f[field]))),
    );
    const bar = typedNumber(f.bar);
    const checked = saveRuleInput.safeParse({
      key: f.key,
      rule: {
        name: f.name,
        enabled: f.enabled,
        metric: f.metric,
        agent: f.agent || null,
        condition:
          f.mode === "threshold" ? { mode: f.mode, above: bar } : { mode: f.mode, factor: bar },
        windowMinutes: typedNumber(f.windowMinutes),
        minSample: typedNumber(f.minSample),
        sustainedMinutes: typedNumber(f.sustainedMinutes),
        channels: f.channels,
        renotifyMinutes: typedNumber(f.renotifyMinutes),
        resolvedMessage: f.resolvedMessage,
        runbook: f.runbook,
      },
      reason: f.reason,
    });
    if (checked.success) return checked.data;
    for (const issue of checked.error.issues) {
      const path = formPath(issue.path);
      const message = notNumbers.has(path[0]!) ? "Enter a number" : issue.message;
      ctx.addIssue({ code: "custom", path, message });
    }
    return z.NEVER;
  });
export type RuleDraft = z.input<typeof ruleFormSchema>;
