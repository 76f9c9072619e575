import { describe, expect, it } from "vitest";
import { dayAsked } from "./days";

// Sunday 6 December 2026, 15:00 UTC.
const now = new Date("2026-12-06T15:00:00Z");

describe("the day a customer asks for", () => {
  it.each([
    ["move it to 2026-12-18", "2026-12-18"],
    ["deliver it tomorrow", "2026-12-07"],
    ["the day after tomorrow please", "2026-12-08"],
    ["in 5 days", "2026-12-11"],
    ["three days from now", "2026-12-09"],
    ["a week from today", "2026-12-13"],
    ["in two weeks", "2026-12-20"],
    ["on Friday", "2026-12-11"],
    ["on Sunday", "2026-12-13"],
    ["the 18th", "2026-12-18"],
    ["the 3rd", "2027-01-03"],
    ["18 December", "2026-12-18"],
    ["December 18th", "2026-12-18"],
    ["2 Jan", "2027-01-02"],
  ])("%s → %s", (text, day) => {
    expect(
      dayAsked(`Where is my parcel for order 1043? Please move the delivery ${text}`, now),
    ).toBe(day);
  });

  it("reads no day from an order number, or from a request without one", () => {
    expect(dayAsked("Where is my parcel for order 1043?", now)).toBeNull();
    expect(dayAsked("Please move the delivery of order 1043", now)).toBeNull();
  });
});
