import { describe, expect, it } from "vitest";
import { bucketFor, resolveWindow, windowQuery } from "./window";

describe("ops window", () => {
  const now = new Date("2026-12-01T12:00:00Z");

  it("defaults to the last day in 15-minute buckets", () => {
    const w = resolveWindow(windowQuery.parse({}), now);
    expect(w).toMatchObject({ kind: "day", bucketSeconds: 900 });
    expect(w.from.toISOString()).toBe("2026-11-30T12:00:00.000Z");
  });

  it("a week is hourly too (168 points), an hour in minutes", () => {
    expect(resolveWindow(windowQuery.parse({ window: "week" }), now).bucketSeconds).toBe(3_600);
    expect(resolveWindow(windowQuery.parse({ window: "hour" }), now).bucketSeconds).toBe(60);
    expect(bucketFor(60 * 86_400)).toBe(86_400);
  });

  it("takes a custom range in minutes, UTC", () => {
    const w = resolveWindow(
      windowQuery.parse({ window: "custom", from: "2026-11-28T09:00", to: "2026-11-28T11:00" }),
      now,
    );
    expect(w.from.toISOString()).toBe("2026-11-28T09:00:00.000Z");
    expect(w.bucketSeconds).toBe(60);
  });

  it("names the field that is wrong", () => {
    const bad = windowQuery.safeParse({
      window: "custom",
      from: "2026-11-28T09:00",
      to: "2026-11-27T09:00",
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["to"]);
    expect(windowQuery.safeParse({ window: "custom" }).error?.issues[0]?.path).toEqual(["from"]);
    expect(windowQuery.safeParse({ window: "year" }).success).toBe(false);
    expect(windowQuery.safeParse({ window: "custom", from: "yesterday" }).success).toBe(false);
  });
});
