// What a rule set says of one call: pure and deterministic, so the live gate, the simulation and
// the tests agree to the letter. Rules only ever add care: a call no rule matches is decided by the
// built-in gate alone, and no rule can let through what the gate holds.
import type { Comparison, Condition, Flag, PolicyDocument, Rule } from "./document";

/** A call as the rules see it. */
export type PolicyCall = {
  agent: string;
  tool: string;
  arguments: unknown;
  /** Facts about the customer and the records the call touches, from the agent (only those the rules ask for). */
  facts: Readonly<Record<string, unknown>>;
  flags: ReadonlySet<Flag>;
};

export type MatchedRule = { id: string; name: string };

export type RuleOutcome = {
  matched: MatchedRule[];
  /** The first matching rule that denies, and what the model is told. */
  deny: (MatchedRule & { message: string }) | null;
  /** Whether some rule makes the call wait for a person. */
  wait: boolean;
  /** Approvals from distinct reviewers the call needs (1 unless a rule asks for more). */
  approvals: number;
  /** The queue it goes to: the first matching rule that names a team. */
  team: string | null;
  decideWithinSeconds: number | null;
  onExpiry: "expire" | "escalate";
};

const NOTHING: RuleOutcome = {
  matched: [],
  deny: null,
  wait: false,
  approvals: 1,
  team: null,
  decideWithinSeconds: null,
  onExpiry: "expire",
};

/** The value at `path` ("amount_cents", "items[0].sku") of `root`, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let here: unknown = root;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (here === null || typeof here !== "object" || !Object.hasOwn(here, part)) return undefined;
    here = (here as Record<string, unknown>)[part];
  }
  return here;
}

const same = (a: unknown, b: unknown) =>
  a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));

export function compare(actual: unknown, c: Comparison): boolean {
  switch (c.op) {
    case "exists":
      return (actual !== undefined && actual !== null) === c.value;
    case "gt":
      return typeof actual === "number" && actual > c.value;
    case "gte":
      return typeof actual === "number" && actual >= c.value;
    case "lt":
      return typeof actual === "number" && actual < c.value;
    case "lte":
      return typeof actual === "number" && actual <= c.value;
    case "eq":
      return same(actual, c.value);
    case "neq":
      return actual !== undefined && !same(actual, c.value);
    case "in":
      return c.value.some((v) => same(actual, v));
    case "not_in":
      return actual !== undefined && !c.value.some((v) => same(actual, v));
    case "matches":
      return typeof actual === "string" && new RegExp(c.value, "i").test(actual.slice(0, 5_000));
  }
}

function holds(condition: Condition, call: PolicyCall): boolean {
  if ("flag" in condition) return call.flags.has(condition.flag);
  if ("fact" in condition) return compare(call.facts[condition.fact], condition);
  return compare(valueAt(call.arguments, condition.argument), condition);
}

export const applies = (rule: Rule, call: PolicyCall) =>
  rule.enabled &&
  (!rule.tools || rule.tools.includes(call.tool)) &&
  (!rule.agents || rule.agents.includes(call.agent)) &&
  rule.when.every((condition) => holds(condition, call));

/** The facts the rules that could apply to `tool` of `agent` ask for: none, and no fact is fetched. */
export function factsAskedFor(document: PolicyDocument, agent: string, tool: string): string[] {
  const names = document.rules
    .filter(
      (r) =>
        r.enabled &&
        (!r.tools || r.tools.includes(tool)) &&
        (!r.agents || r.agents.includes(agent)),
    )
    .flatMap((r) => r.when.flatMap((c) => ("fact" in c ? [c.fact] : [])));
  return [...new Set(names)];
}

export function evaluateRules(document: PolicyDocument, call: PolicyCall): RuleOutcome {
  const matched = document.rules.filter((rule) => applies(rule, call));
  if (!matched.length) return NOTHING;
  const denying = matched.find((r) => r.effect.deny);
  const deadline = matched
    .filter((r) => r.effect.decideWithinSeconds)
    .sort((a, b) => a.effect.decideWithinSeconds! - b.effect.decideWithinSeconds!)[0];
  return {
    matched: matched.map(({ id, name }) => ({ id, name })),
    deny: denying ? { id: denying.id, name: denying.name, message: denying.effect.deny! } : null,
    wait: matched.some((r) => r.effect.approval || r.effect.approvals || r.effect.team),
    approvals: Math.max(1, ...matched.map((r) => r.effect.approvals ?? 1)),
    team: matched.find((r) => r.effect.team)?.effect.team ?? null,
    decideWithinSeconds: deadline?.effect.decideWithinSeconds ?? null,
    onExpiry: deadline?.effect.onExpiry ?? "expire",
  };
}
