// Why a rule matched, in words a reviewer reads in the packet: each of its conditions with the
// value the call had ("amount_cents 15000 > 10000"). Pure, like evaluate.ts, so the words are the
// same wherever a call is judged.
import type { Comparison, Condition, Flag, Rule } from "./document";
import { valueAt, type PolicyCall } from "./evaluate";

const SIGN = { gt: ">", gte: "≥", lt: "<", lte: "≤", eq: "=", neq: "≠" } as const;

const FLAG_WORDS: Record<Flag, string> = {
  untrusted_input: "the run read untrusted content that looked like instructions",
  anomaly: "the run is far outside its usual pattern",
  low_confidence: "the agent's stated confidence is low",
};

const shown = (value: unknown) => {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

function comparisonInWords(subject: string, actual: unknown, c: Comparison): string {
  switch (c.op) {
    case "exists":
      return c.value ? `${subject} is given (${shown(actual)})` : `${subject} is not given`;
    case "in":
    case "not_in":
      return `${subject} ${shown(actual)} is ${c.op === "in" ? "one of" : "none of"} ${c.value.map(shown).join(", ")}`;
    case "matches":
      return `${subject} ${shown(actual)} matches /${c.value}/`;
    default:
      return `${subject} ${shown(actual)} ${SIGN[c.op]} ${shown(c.value)}`;
  }
}

export function conditionInWords(condition: Condition, call: PolicyCall): string {
  if ("flag" in condition) return FLAG_WORDS[condition.flag];
  if ("fact" in condition)
    return comparisonInWords(condition.fact, call.facts[condition.fact], condition);
  return comparisonInWords(
    condition.argument,
    valueAt(call.arguments, condition.argument),
    condition,
  );
}

/** "amount_cents 15000 > 10000 and refunds_last_30_days 3 ≥ 2"; for a rule without conditions, what it covers. */
export function whyRuleMatched(rule: Rule, call: PolicyCall): string {
  if (rule.when.length) return rule.when.map((c) => conditionInWords(c, call)).join(" and ");
  return rule.tools ? `the tool is ${rule.tools.join(" or ")}` : "it covers every call";
}

export type ExplainedRule = { id: string; name: string; because: string };

/** The sentence the packet shows for one matched rule. */
export const ruleSentence = (rule: ExplainedRule, version: number) =>
  `rule '${rule.name}' (policy v${version}) matched: ${rule.because}`;
