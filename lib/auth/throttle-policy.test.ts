import { describe, expect, it } from "vitest";
import { delayAfter, describeWait, MAX_DELAY_MS, tooManyMessage } from "./throttle-policy";

describe("sign-in throttling rule", () => {
  it("lets five failures of a pair through, then doubles the wait after each one, up to a cap", () => {
    expect([1, 2, 3, 4].map((n) => delayAfter(n, "pair"))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map((n) => delayAfter(n, "pair"))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(delayAfter(40, "pair")).toBe(MAX_DELAY_MS);
    expect(delayAfter(49, "address")).toBe(0);
    expect(delayAfter(50, "address")).toBe(30_000);
  });

  it("tells people the wait in seconds or minutes, rounded up", () => {
    expect(describeWait(1)).toBe("1 second");
    expect(describeWait(29_100)).toBe("30 seconds");
    expect(describeWait(60_000)).toBe("1 minute");
    expect(describeWait(61_000)).toBe("2 minutes");
    expect(describeWait(MAX_DELAY_MS)).toBe("15 minutes");
    expect(tooManyMessage(30_000)).toBe(
      "Too many failed sign-ins from this address. Try again in 30 seconds.",
    );
  });
});
