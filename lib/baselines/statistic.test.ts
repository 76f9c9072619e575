import { describe, expect, it } from "vitest";
import { anomalyRatio, baselineOf, describeAnomaly, mad, median } from "./statistic";

describe("the baseline statistic", () => {
  it("takes the median and the MAD, unmoved by one wild value", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(median([])).toBeNaN();
  });

  it("has no baseline below the minimum sample", () => {
    expect(baselineOf(Array(19).fill(1000))).toBeNull();
    expect(baselineOf(Array(20).fill(1000))).toEqual({ median: 1000, mad: 0, sample: 20 });
    expect(baselineOf([1, 2, Number.NaN], 3)).toBeNull();
  });

  it("flags a value past median + k·MAD that is also at least m× the median", () => {
    const steady = { median: 1000, mad: 0, sample: 30 };
    expect(anomalyRatio(10_000, steady)).toBe(10);
    expect(anomalyRatio(2_900, steady)).toBeNull(); // far from a MAD of 0, but under 3×
    const noisy = { median: 1000, mad: 500, sample: 30 };
    expect(anomalyRatio(3_500, noisy)).toBeNull(); // 3.5× but within 6 MAD
    expect(anomalyRatio(4_100, noisy)).toBeCloseTo(4.1);
  });

  it("flags nothing without a usable baseline", () => {
    expect(anomalyRatio(10_000, null)).toBeNull();
    expect(anomalyRatio(10_000, { median: 1000, mad: 0, sample: 5 })).toBeNull();
    expect(anomalyRatio(10, { median: 0, mad: 0, sample: 50 })).toBeNull();
  });

  it("says it as a reviewer would read it", () => {
    expect(describeAnomaly("tokens", 4.04)).toBe("4× this agent's usual tokens");
    expect(describeAnomaly("cost_micros", 3.46)).toBe("3.5× this agent's usual cost");
    expect(describeAnomaly("tokens", 10.4)).toBe("10× this agent's usual tokens");
  });
});
