import { describe, expect, it } from "vitest";
import { boundsFromApproved, grantCovers, narrowerThan, type GrantView } from "./grants";

const grant: GrantView = {
  id: "g1",
  agent: "refunds",
  tool: "issue_refund",
  subjectId: "cus-1",
  bounds: { order_id: { eq: 1042 }, amount_cents: { lte: 8990 } },
  expiresAt: new Date(Date.now() + 3_600_000),
  usesLeft: 2,
  revokedAt: null,
  grantedByEmail: "reviewer@example.com",
};
const call = (over: Partial<Parameters<typeof grantCovers>[1]> = {}) => ({
  agent: "refunds",
  tool: "issue_refund",
  subjectId: "cus-1",
  arguments: { order_id: 1042, amount_cents: 5000, reason: "broken" },
  reasonCodes: ["irreversible"],
  requiredApprovals: 1,
  ...over,
});

describe("a scoped grant", () => {
  it("lets exactly its scope through: same tool, customer, within bounds, in time, with uses left", () => {
    expect(grantCovers(grant, call())).toBe(true);
    expect(grantCovers(grant, call({ arguments: { order_id: 1042, amount_cents: 8991 } }))).toBe(
      false,
    );
    expect(grantCovers(grant, call({ arguments: { order_id: 1043, amount_cents: 100 } }))).toBe(
      false,
    );
    expect(grantCovers(grant, call({ subjectId: "cus-2" }))).toBe(false);
    expect(grantCovers(grant, call({ tool: "add_order_note" }))).toBe(false);
    expect(grantCovers(grant, call({ agent: "accounts" }))).toBe(false);
    expect(grantCovers({ ...grant, usesLeft: 0 }, call())).toBe(false);
    expect(grantCovers({ ...grant, expiresAt: new Date(Date.now() - 1) }, call())).toBe(false);
    expect(grantCovers({ ...grant, revokedAt: new Date() }, call())).toBe(false);
  });

  it("never stands in for more than the policy allows, or for a run that looked wrong", () => {
    expect(grantCovers(grant, call({ requiredApprovals: 2 }))).toBe(false);
    for (const code of ["untrusted_input", "anomalous_run", "low_confidence", "no_confidence"]) {
      expect(grantCovers(grant, call({ reasonCodes: ["irreversible", code] }))).toBe(false);
    }
    expect(grantCovers(grant, call({ reasonCodes: ["irreversible", "policy_rule"] }))).toBe(true);
  });

  it("offers the approved arguments as bounds, and never wider", () => {
    const approved = boundsFromApproved({
      order_id: 1042,
      amount_cents: 8990,
      reason: "Customer reports: broken",
    });
    expect(approved).toEqual({ order_id: { eq: 1042 }, amount_cents: { lte: 8990 } });
    expect(narrowerThan({ order_id: { eq: 1042 }, amount_cents: { lte: 5000 } }, approved)).toBe(
      true,
    );
    expect(narrowerThan({ order_id: { eq: 1042 }, amount_cents: { lte: 9000 } }, approved)).toBe(
      false,
    );
    expect(narrowerThan({ amount_cents: { lte: 5000 } }, approved)).toBe(false);
  });
});
