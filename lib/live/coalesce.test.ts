import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { coalesce } from "./coalesce";

describe("coalesce", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("re-reads each key once for a burst, after the burst's window", () => {
    const invalidated: unknown[] = [];
    const invalidate = coalesce((key) => invalidated.push(key), 50);
    for (let i = 0; i < 40; i++) {
      invalidate(["approvals", "count"]);
      invalidate(["inbox"]);
    }
    expect(invalidated).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(invalidated).toEqual([["approvals", "count"], ["inbox"]]);
  });

  it("a key asked for after the window is re-read again", () => {
    const invalidated: unknown[] = [];
    const invalidate = coalesce((key) => invalidated.push(key), 50);
    invalidate(["inbox"]);
    vi.advanceTimersByTime(50);
    invalidate(["inbox"]);
    vi.advanceTimersByTime(49);
    expect(invalidated).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(invalidated).toEqual([["inbox"], ["inbox"]]);
  });
});
