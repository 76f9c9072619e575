// The policy as one JSON document: the rules a company adds on top of the built-in gate
// (irreversible tools always wait; settings' per-tool policy; confidence; untrusted input). A rule
// has conditions (on the call's arguments, the tool and agent, facts about the customer, the run's
// flags) and an effect that can only ask for more care — wait for a person, for two people, for a
// team; deny; decide within a time — never let something through. Validated here, naming the field.
import { z } from "zod";
import { customerTextProblems } from "@/lib/customer-text/check";

export const FLAGS = ["untrusted_input", "anomaly", "low_confidence"] as const;
export type Flag = (typeof FLAGS)[number];

const primitive = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
const name = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, "lower-case letters, digits and _ (e.g. amount_cents)");
/** `amount_cents`, `items[0].sku`, `customer.address.city` (a leading `$.` is allowed). */
const argumentPath = z
  .string()
  .transform((p) => p.replace(/^\$\.?/, ""))
  .pipe(
    z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_]*(\[\d{1,4}\]|\.[A-Za-z_][A-Za-z0-9_]*)*$/,
        "a path like amount_cents or items[0].sku",
      ),
  );

const pattern = z
  .string()
  .min(1)
  .max(200, "at most 200 characters")
  .refine((p) => {
    try {
      new RegExp(p, "i");
      return true;
    } catch {
      return false;
    }
  }, "not a valid regular expression");

/** How a value is compared: numbers by size, anything by equality or membership, text by pattern. */
const comparison = z.discriminatedUnion("op", [
  z.object({ op: z.enum(["gt", "gte", "lt", "lte"]), value: z.number() }),
  z.object({ op: z.enum(["eq", "neq"]), value: primitive }),
  z.object({ op: z.enum(["in", "not_in"]), value: z.array(primitive).min(1).max(500) }),
  z.object({ op: z.literal("matches"), value: pattern }),
  z.object({ op: z.literal("exists"), value: z.boolean() }),
]);
export type Comparison = z.output<typeof comparison>;

const conditionKinds = {
  argument: z.object({ argument: argumentPath }).and(comparison),
  fact: z.object({ fact: name }).and(comparison),
  flag: z.object({ flag: z.enum(FLAGS) }).strict(),
};
export type Condition = z.output<(typeof conditionKinds)[keyof typeof conditionKinds]>;

/** A condition names an argument, a fact or a flag; its problems are said for the branch it chose, by field. */
export const conditionSchema = z.unknown().transform((value, ctx): Condition => {
  const kind =
    value && typeof value === "object"
      ? (["argument", "fact", "flag"] as const).find((k) => k in value)
      : undefined;
  if (!kind) {
    ctx.addIssue({ code: "custom", message: "a condition names an argument, a fact or a flag" });
    return z.NEVER;
  }
  const parsed = conditionKinds[kind].safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  return z.NEVER;
});

/** A deny message reaches the customer whole: no tool names, codes or raw data (lib/customer-text's checker). */
function readsCleanForCustomer(text: string, ctx: z.RefinementCtx) {
  const problems = customerTextProblems(text);
  if (problems.length)
    ctx.addIssue({
      code: "custom",
      message: `the customer reads this message as written; remove ${problems.join(", ")}`,
    });
}

export const effectSchema = z
  .object({
    /** The call waits for a person (whatever else is true of it). */
    approval: z.literal(true).optional(),
    /** The call waits for this many approvals from distinct reviewers (four-eyes: 2). */
    approvals: z.number().int().min(1).max(5).optional(),
    /** The item goes to this team's queue (it waits for a person). */
    team: name.optional(),
    /** The call is refused; the customer reads these words as written, so they are checked like any customer text. */
    deny: z.string().trim().min(3).max(300).superRefine(readsCleanForCustomer).optional(),
    /** How long the item may wait for a decision. */
    decideWithinSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .optional(),
    /** What happens then: it expires, or it is escalated first (an irreversible call is never let through). */
    onExpiry: z.enum(["expire", "escalate"]).optional(),
  })
  .strict()
  .refine(
    (e) => Object.keys(e).length > 0,
    "say what the rule does: approval, approvals, team, deny or decideWithinSeconds",
  );
export type Effect = z.output<typeof effectSchema>;

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, "lower-case words joined by dashes"),
    name: z.string().trim().min(3).max(120),
    description: z.string().max(1000).optional(),
    enabled: z.boolean().default(true),
    /** Only calls of these tools (any tool when left out). */
    tools: z.array(z.string().min(1).max(80)).min(1).optional(),
    /** Only calls of these agents, built-in or external (any agent when left out). */
    agents: z.array(z.string().min(1).max(80)).min(1).optional(),
    /** Every condition must hold. */
    when: z.array(conditionSchema).max(20).default([]),
    effect: effectSchema,
  })
  .strict();
export type Rule = z.output<typeof ruleSchema>;

export const policyDocumentSchema = z
  .object({
    /** On export: the version this is. On a save: ignored (the version it replaces is said apart). */
    version: z.number().int().min(0).optional(),
    rules: z.array(ruleSchema).max(200),
    /** Tools no reviewer may make a "remember" grant for (and whose existing grants let nothing through). */
    grantsOff: z.array(z.string().min(1).max(80)).max(200).optional(),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.rules.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "id"],
          message: `two rules have the id ${rule.id}`,
        });
      seen.add(rule.id);
    });
  });
export type PolicyDocument = z.output<typeof policyDocumentSchema>;

export const EMPTY_POLICY: PolicyDocument = { rules: [] };

/** The document, or the first problems, each naming its field ("rules.0.when.1.value: …"). */
export function parsePolicyDocument(
  input: unknown,
): { ok: true; document: PolicyDocument } | { ok: false; problems: string[] } {
  const parsed = policyDocumentSchema.safeParse(input);
  if (parsed.success) return { ok: true, document: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.join(".") || "document"}: ${i.message}`),
  };
}
