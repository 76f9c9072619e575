import { describe, expect, it } from "vitest";
import { countTicks, labelSpace } from "./chart-axis";

describe("count axis ticks", () => {
  it("cover the largest value in whole, round steps from 0", () => {
    expect(countTicks(13)).toEqual([0, 5, 10, 15]);
    expect(countTicks(1)).toEqual([0, 1]);
    expect(countTicks(4)).toEqual([0, 1, 2, 3, 4]);
    expect(countTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(countTicks(240)).toEqual([0, 50, 100, 150, 200, 250]);
  });

  it("draw an empty series on 0 to 1, never a fraction", () => {
    expect(countTicks(0)).toEqual([0, 1]);
    expect(countTicks(Number.NaN)).toEqual([0, 1]);
    expect(countTicks(0.4)).toEqual([0, 1]);
  });

  it("space bar labels by the longest one", () => {
    expect(labelSpace(["<1s", "$0.005–$0.010"])).toBe(Math.ceil(13 * 6.5) + 12);
  });
});
