import { describe, expect, it } from "vitest";
import { grantFor, grantMatches } from "./grant";

describe("grants", () => {
  const secret = "whsec_c2VjcmV0";
  it("are bound to the action and the hash of the approved arguments", () => {
    const grant = grantFor(secret, "a1", "h1");
    expect(grant).toMatch(/^csg_[A-Za-z0-9_-]{43}$/);
    expect(grantMatches(secret, "a1", "h1", grant)).toBe(true);
    expect(grantMatches(secret, "a2", "h1", grant)).toBe(false);
    expect(grantMatches(secret, "a1", "h2", grant)).toBe(false);
    expect(grantMatches("whsec_b3RoZXI=", "a1", "h1", grant)).toBe(false);
    expect(grantMatches(secret, "a1", "h1", `${grant}x`)).toBe(false);
  });
});
