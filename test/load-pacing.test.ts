// The load test's think-time mode (scripts/load/pacing.ts): draws stay within their bounds, first
// sends spread over the think time, the HTTP phase and the floor pace their i-th customer alike,
// the closed loop stays as it was, and LOAD_THINK_MS is validated like the other settings.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../scripts/load/config";
import {
  arrivalsPerSecond,
  CLOSED_LOOP_START_SPREAD_MS,
  offeredTurnsPerSecond,
  pauseAfterTurn,
  planPacing,
} from "../scripts/load/pacing";

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;
const THINK = 10_000;
const plans = (count: number, thinkMs: number, turns: number) =>
  Array.from({ length: count }, (_, i) => planPacing(i, thinkMs, turns));

describe("think-time pacing", () => {
  it("draws every pause from [0.5, 1.5] × the think time and none after the last turn", () => {
    const thinks = plans(2000, THINK, 3).flatMap((p) => {
      expect(p.thinkMs).toHaveLength(2);
      return p.thinkMs;
    });
    expect(Math.min(...thinks)).toBeGreaterThanOrEqual(0.5 * THINK);
    expect(Math.max(...thinks)).toBeLessThan(1.5 * THINK);
    // Uniform, not pinned to one end: both outer tenths of the range are used, the mean is central.
    expect(thinks.some((t) => t < 0.6 * THINK)).toBe(true);
    expect(thinks.some((t) => t > 1.4 * THINK)).toBe(true);
    const mean = thinks.reduce((a, b) => a + b, 0) / thinks.length;
    expect(Math.abs(mean - THINK)).toBeLessThan(0.03 * THINK);
    expect(planPacing(0, THINK, 1).thinkMs).toEqual([]);
  });

  it("staggers the first sends uniformly over the think time", () => {
    const starts = plans(2000, THINK, 3).map((p) => p.startDelayMs);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...starts)).toBeLessThan(THINK);
    // Each fifth of the window gets about a fifth of the customers (400 ± 80).
    const fifths = [0, 0, 0, 0, 0];
    for (const s of starts) fifths[Math.floor((s / THINK) * 5)]! += 1;
    for (const n of fifths) expect(Math.abs(n - 400)).toBeLessThan(80);
  });

  it("paces a customer the same way every time, and different customers differently", () => {
    expect(planPacing(7, THINK, 3)).toEqual(planPacing(7, THINK, 3));
    expect(planPacing(7, THINK, 3)).not.toEqual(planPacing(8, THINK, 3));
  });

  it("keeps the closed loop: first sends within a second, no pauses", () => {
    for (const p of plans(500, 0, 3)) {
      expect(p.thinkMs).toEqual([]);
      expect(p.startDelayMs).toBeGreaterThanOrEqual(0);
      expect(p.startDelayMs).toBeLessThan(CLOSED_LOOP_START_SPREAD_MS);
    }
  });

  it("waits for the thinking, or longer when the per-minute limit needs the spacing", () => {
    expect(pauseAfterTurn(2_000, 0, 7_000)).toBe(7_000);
    expect(pauseAfterTurn(2_000, 12_000, 7_000)).toBe(10_000);
    expect(pauseAfterTurn(20_000, 12_000, 0)).toBe(0);
  });

  it("measures arrivals per second and the load the pacing offers", () => {
    expect(arrivalsPerSecond([0, 500, 1000, 1500, 2000])).toBe(2);
    expect(arrivalsPerSecond([42])).toBe(0);
    expect(offeredTurnsPerSecond(200, 10_000, 0)).toBe(20);
    expect(offeredTurnsPerSecond(200, 9_000, 1_000)).toBe(20);
    expect(offeredTurnsPerSecond(200, 0, 1_000)).toBeNull();
  });
});

describe("LOAD_THINK_MS", () => {
  it("defaults to 0, the closed loop", () => {
    expect(loadConfig(env({})).LOAD_THINK_MS).toBe(0);
    expect(loadConfig(env({ LOAD_THINK_MS: "10000" })).LOAD_THINK_MS).toBe(10_000);
  });

  it("refuses what is not a bounded whole number of milliseconds, saying which setting", () => {
    expect(() => loadConfig(env({ LOAD_THINK_MS: "-1" }))).toThrow(/LOAD_THINK_MS: must be 0/);
    expect(() => loadConfig(env({ LOAD_THINK_MS: "120001" }))).toThrow(
      /LOAD_THINK_MS: must be at most 120000/,
    );
    expect(() => loadConfig(env({ LOAD_THINK_MS: "1.5" }))).toThrow(
      /LOAD_THINK_MS: must be a whole/,
    );
    expect(() => loadConfig(env({ LOAD_THINK_MS: "soon" }))).toThrow(
      /LOAD_THINK_MS: must be a whole/,
    );
  });

  it("refuses pacing that would spend more than half the deadline waiting", () => {
    // 60 s think, 20 turns: up to 60 × (1 + 1.5 × 19) = 1770 s of waiting, past 2400 / 2.
    expect(() => loadConfig(env({ LOAD_THINK_MS: "60000", LOAD_TURNS: "20" }))).toThrow(
      /LOAD_DEADLINE_S/,
    );
    // The same with the one-customer phase first: twice the waiting.
    expect(() =>
      loadConfig(env({ LOAD_THINK_MS: "25000", LOAD_TURNS: "20", LOAD_COMPARE_USERS: "1" })),
    ).toThrow(/LOAD_DEADLINE_S/);
    expect(loadConfig(env({ LOAD_THINK_MS: "25000", LOAD_TURNS: "20" })).LOAD_TURNS).toBe(20);
  });
});
