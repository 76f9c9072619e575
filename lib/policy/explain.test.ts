import { describe, expect, it } from "vitest";
import { parsePolicyDocument } from "./document";
import type { PolicyCall } from "./evaluate";
import { ruleSentence, whyRuleMatched } from "./explain";

const rules = (input: unknown[]) => {
  const parsed = parsePolicyDocument({ rules: input });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.document.rules;
};

const call: PolicyCall = {
  agent: "refunds",
  tool: "issue_refund",
  arguments: { amount_cents: 15000, order_id: 1042, reason: "arrived broken" },
  facts: { refunds_last_30_days: 3 },
  flags: new Set(["untrusted_input"]),
};

describe("why a rule matched, in words", () => {
  it("names each condition with the call's value", () => {
    const [rule] = rules([
      {
        id: "big-refunds",
        name: "Big refunds",
        when: [
          { argument: "amount_cents", op: "gt", value: 10000 },
          { fact: "refunds_last_30_days", op: "gte", value: 2 },
          { argument: "order_id", op: "in", value: [1042, 1043] },
          { argument: "reason", op: "matches", value: "broken" },
          { flag: "untrusted_input" },
        ],
        effect: { approvals: 2 },
      },
    ]);
    expect(whyRuleMatched(rule!, call)).toBe(
      'amount_cents 15000 > 10000 and refunds_last_30_days 3 ≥ 2 and order_id 1042 is one of 1042, 1043 and reason "arrived broken" matches /broken/ and the run read untrusted content that looked like instructions',
    );
  });

  it("says what a rule without conditions covers, and the packet's sentence names rule and version", () => {
    const [rule] = rules([
      {
        id: "big-refunds",
        name: "Every refund",
        tools: ["issue_refund"],
        effect: { approval: true },
      },
    ]);
    const because = whyRuleMatched(rule!, call);
    expect(because).toBe("the tool is issue_refund");
    expect(ruleSentence({ id: "big-refunds", name: "Every refund", because }, 3)).toBe(
      "rule 'Every refund' (policy v3) matched: the tool is issue_refund",
    );
  });
});
