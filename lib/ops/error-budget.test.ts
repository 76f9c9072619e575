import { describe, expect, it } from "vitest";
import { sloAttainment } from "./error-budget";

describe("SLO error budget", () => {
  it("95% of 1000 runs allows 50 misses: 20 misses leave 60% of the budget", () => {
    const a = sloAttainment({ targetPercent: 95 }, 1000, 980);
    expect(a.allowedBad).toBeCloseTo(50);
    expect(a.budgetLeft).toBeCloseTo(0.6);
    expect(a.met).toBe(true);
  });
  it("overspent is negative and not met", () => {
    const a = sloAttainment({ targetPercent: 95 }, 100, 90);
    expect(a.budgetLeft).toBeCloseTo(-1);
    expect(a.met).toBe(false);
  });
  it("no finished runs: nothing to judge", () => {
    expect(sloAttainment({ targetPercent: 95 }, 0, 0)).toMatchObject({
      attainment: null,
      budgetLeft: null,
      met: null,
    });
  });
});
