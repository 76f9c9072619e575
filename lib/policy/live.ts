import "server-only";
import type { Agent, Subject } from "@/lib/agent-kit";
import type { Flag } from "./document";
import { evaluateRules, factsAskedFor, type PolicyCall, type RuleOutcome } from "./evaluate";
import { whyRuleMatched, type ExplainedRule } from "./explain";
import type { Tx } from "@/lib/db";
import { activePolicy, policyAt } from "./versions";

// The rules in force judging a call a run proposes, in code and before anything runs. The version
// is the one read with the run (run-state.ts), and a version's document is read once per process
// (versions never change), so a step pays no round trip for the rules; facts are asked of the agent
// only when a rule that could apply names them.

export type LiveJudgement = {
  version: number;
  outcome: RuleOutcome;
  rules: ExplainedRule[];
  /** An admin turned "remember" grants off for this tool: none lets it through. */
  grantsOff: boolean;
};

const NO_RULES: RuleOutcome = evaluateRules(
  { rules: [] },
  { agent: "", tool: "", arguments: {}, facts: {}, flags: new Set() },
);

/** The run's flags as the rules (and the simulation, from the reasons recorded) see them. */
export function runFlags(input: {
  untrustedFlagged: boolean;
  anomaly: string | null;
  confidence: number | null;
  threshold: number;
}): Set<Flag> {
  const flags = new Set<Flag>();
  if (input.untrustedFlagged) flags.add("untrusted_input");
  if (input.anomaly) flags.add("anomaly");
  if (input.confidence !== null && input.confidence < input.threshold) flags.add("low_confidence");
  return flags;
}

/** What judging a call needs of the run: the fields of the runtime's RunState it reads (named
 *  here, not imported, so the rules do not import the runtime that consults them). */
type RunForRules = {
  agent: Agent;
  subject: Subject;
  deps: () => unknown;
  /** Set for a scratch run (replay, shadow): it has no live dependencies to ask for facts. */
  scratch?: unknown;
  policyVersion: number;
};

export async function judgeCall(
  state: RunForRules,
  call: { tool: string; arguments: Record<string, unknown>; flags: Set<Flag> },
): Promise<LiveJudgement> {
  const version = state.policyVersion;
  if (version === 0) return { version, outcome: NO_RULES, rules: [], grantsOff: false };
  const document = await policyAt(version);
  const names = factsAskedFor(document, state.agent.name, call.tool);
  let facts: Record<string, unknown> = {};
  // A scratch run has no live dependencies: a rule on a fact it cannot know does not hold there.
  if (names.length && state.agent.facts && !state.scratch) {
    facts = await state.agent
      .facts(
        { subject: state.subject, tool: call.tool, arguments: call.arguments, names },
        state.deps() as never,
      )
      .catch(() => ({}));
  }
  const asked: PolicyCall = {
    agent: state.agent.name,
    tool: call.tool,
    arguments: call.arguments,
    facts,
    flags: call.flags,
  };
  const outcome = evaluateRules(document, asked);
  const rules = outcome.matched.map(({ id, name }) => ({
    id,
    name,
    because: whyRuleMatched(
      document.rules.find((r) => r.id === id)!,
      asked,
    ),
  }));
  return { version, outcome, rules, grantsOff: !!document.grantsOff?.includes(call.tool) };
}

/**
 * The rules in force judging a call an external agent proposes (lib/external): the same rules, on
 * the version in force when it is recorded, with no facts (the product cannot ask an agent that
 * runs elsewhere) — a rule on a fact does not hold for it, as in a scratch run.
 */
export async function judgeExternalCall(
  tx: Tx,
  call: { agent: string; tool: string; arguments: Record<string, unknown>; flags: Set<Flag> },
): Promise<LiveJudgement> {
  const { version, document } = await activePolicy(tx);
  if (version === 0) return { version, outcome: NO_RULES, rules: [], grantsOff: false };
  const asked: PolicyCall = { ...call, facts: {} };
  const outcome = evaluateRules(document, asked);
  const rules = outcome.matched.map(({ id, name }) => ({
    id,
    name,
    because: whyRuleMatched(
      document.rules.find((r) => r.id === id)!,
      asked,
    ),
  }));
  return { version, outcome, rules, grantsOff: true };
}
