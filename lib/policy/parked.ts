import type { Prisma } from "@/lib/generated/prisma/client";
import { ruleSentence } from "./explain";
import type { LiveJudgement } from "./live";

/** One reason the gate gave for waiting, in words and as a code. */
export type GateReason = { text: string; code: string };

/**
 * What a parked item keeps of the policy that parked it: the gate's reasons and each matched
 * rule's, in words; how many people must approve, in which queue, by when, and what expiry means.
 * Kept with the item, so a later version of the rules never changes what it waits for. The same
 * for built-in agents (lib/runtime/tool-calls.ts) and external ones (lib/external/propose.ts).
 */
export function parkedFor(
  gateReasons: readonly GateReason[],
  judged: LiveJudgement | null,
  ttlSeconds: number,
  now = Date.now(),
) {
  const rules = judged?.outcome;
  const waitsForRules = !!rules?.wait;
  const due = rules?.decideWithinSeconds ? new Date(now + rules.decideWithinSeconds * 1000) : null;
  const ttl = new Date(now + ttlSeconds * 1000);
  // "Expire" at the rule's time ends it then; "escalate" leaves it open past the due time, so the
  // escalation job acts first and the escalation queue gets a full time to live of its own before it
  // expires (never let through: expiry is never an approval).
  const expiresAt = !due
    ? ttl
    : rules?.onExpiry === "expire"
      ? due
      : due < ttl
        ? ttl
        : new Date(due.getTime() + ttlSeconds * 1000);
  const ruleReasons =
    waitsForRules && judged
      ? judged.rules.map((r) => `Waiting because ${ruleSentence(r, judged.version)}`)
      : [];
  return {
    reasons: [...gateReasons.map((r) => r.text), ...ruleReasons],
    reasonCodes: [...gateReasons.map((r) => r.code), ...(waitsForRules ? ["policy_rule"] : [])],
    expiresAt,
    requiredApprovals: rules?.approvals ?? 1,
    policyVersion: judged?.version || null,
    policyRules: (judged?.rules ?? []) as unknown as Prisma.InputJsonValue,
    team: rules?.team ?? null,
    dueAt: due,
    onExpiry: rules?.onExpiry ?? "expire",
  };
}
