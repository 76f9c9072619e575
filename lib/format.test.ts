import { describe, expect, it } from "vitest";
import {
  formatAgo,
  formatDateTime,
  formatDuration,
  formatMicros,
  formatMoney,
  formatTimeLeft,
  formatTimestamp,
} from "./format";

describe("one date-and-time format", () => {
  it("writes a moment in UTC as a reader says it", () => {
    expect(formatDateTime("2026-12-07T14:05:09.808Z")).toBe("7 Dec 2026, 14:05 UTC");
    expect(formatDateTime(new Date("2026-01-31T00:00:00Z"), { seconds: true })).toBe(
      "31 Jan 2026, 00:00:00 UTC",
    );
    expect(formatDateTime("not a date")).toBe("an unknown time");
  });

  it("says how long ago in words", () => {
    const now = Date.parse("2026-12-07T14:05:00Z");
    expect(formatAgo("2026-12-07T14:04:57Z", now)).toBe("3 s ago");
    expect(formatAgo("2026-12-07T14:03:00Z", now)).toBe("2 min ago");
    expect(formatAgo("2026-12-07T11:05:00Z", now)).toBe("3 h ago");
    expect(formatAgo("2026-12-06T14:05:00Z", now)).toBe("1 day ago");
    // A clock a little ahead never says "in the future".
    expect(formatAgo("2026-12-07T14:05:02Z", now)).toBe("0 s ago");
  });
});

describe("one way to write money", () => {
  it("writes a customer's cents in their currency", () => {
    expect(formatMoney(2700)).toBe("€27.00");
    expect(formatMoney(1999, "USD")).toBe("US$19.99");
  });

  it("writes model spend from micro-dollars, to the cent or to a hundredth of one", () => {
    expect(formatMicros(2_500_000)).toBe("$2.50");
    expect(formatMicros(12_345, 4)).toBe("$0.0123");
    expect(formatMicros(0)).toBe("$0.00");
  });
});

describe("durations and deadlines", () => {
  it("writes a duration in the largest unit that fits", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(4.25)).toBe("4.3 s");
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(210)).toBe("3.5 min");
    expect(formatDuration(7_200)).toBe("2.0 h");
    expect(formatDuration(172_800)).toBe("2.0 d");
  });

  it("says how long is left, or that it expired", () => {
    const now = Date.parse("2026-12-07T14:00:00Z");
    expect(formatTimeLeft("2026-12-07T14:12:00Z", now)).toBe("12m left");
    expect(formatTimeLeft("2026-12-07T13:59:59Z", now)).toBe("expired");
  });

  it("writes a step's moment to the second, or a dash when there is none", () => {
    expect(formatTimestamp("2026-11-21T02:40:01Z")).toBe("21 Nov 2026, 02:40:01 UTC");
    expect(formatTimestamp(null)).toBe("—");
  });
});
