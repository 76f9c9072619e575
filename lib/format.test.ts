import { describe, expect, it } from "vitest";
import { formatAgo, formatDateTime } from "./format";

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
