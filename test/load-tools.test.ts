// The load test's own arithmetic: its settings refuse combinations that cannot run, the profile
// summary attributes each sample's time to the right function and area, and the phase figures
// count only answered turns.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../scripts/load/config";
import { summarise } from "../scripts/load/profile-summary";
import { turnFigures } from "../scripts/load/report";
import type { TurnRecord } from "../scripts/load/customer";

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

describe("load test settings", () => {
  it("refuses a kill without a second app process to move to", () => {
    expect(() => loadConfig(env({ LOAD_KILL_ONE: "1" }))).toThrow(/LOAD_APP_PROCESSES=2/);
    expect(loadConfig(env({ LOAD_KILL_ONE: "1", LOAD_APP_PROCESSES: "2" })).LOAD_KILL_ONE).toBe(
      "1",
    );
  });

  it("refuses app processes without workers when no worker process would run either", () => {
    expect(() => loadConfig(env({ LOAD_WEB_WORKERS: "0", LOAD_WORKER_PROCESSES: "0" }))).toThrow(
      /nothing would answer/,
    );
  });
});

describe("profile summary", () => {
  const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
    id,
    callFrame: { functionName, url, lineNumber: 0 },
    children,
  });
  // root → handler (app code) → compare (bcryptjs) ; root → (idle)
  const profile = {
    nodes: [
      frame(1, "(root)", "", [2, 4]),
      frame(2, "handler", "file:///repo/lib/auth/options.ts", [3]),
      frame(3, "_encipher", "file:///repo/node_modules/bcryptjs/index.js"),
      frame(4, "(idle)", ""),
    ],
    samples: [3, 3, 2, 4],
    timeDeltas: [1000, 1000, 500, 7000],
  };

  it("adds self time to the innermost frame and total time once to each frame on the stack", () => {
    const { all, self, total, areas } = summarise(profile);
    expect(all).toBe(9500);
    expect(self.get("_encipher ~/bcryptjs/index.js:1")).toBe(2000);
    expect(self.get("handler /repo/lib/auth/options.ts:1")).toBe(500);
    expect(total.get("handler /repo/lib/auth/options.ts:1")).toBe(2500);
    expect(areas.get("bcrypt (sign-in's hash)")).toBe(2000);
    expect(areas.get("the app's own code")).toBe(500);
    expect(areas.get("idle")).toBe(7000);
  });
});

describe("phase figures", () => {
  const turn = (ms: number | null, sentMs?: number) =>
    ({ ms, sentMs, kind: "order_lookup", customer: 0 }) as TurnRecord;

  it("counts answered turns per second and leaves unanswered ones out of the percentiles", () => {
    const f = turnFigures([turn(1000, 100), turn(3000, 300), turn(null)], 2);
    expect(f.answered).toBe(2);
    expect(f.perSecond).toBe(1);
    expect(f.turn.max).toBe(3000);
    expect(f.send.count).toBe(2);
  });
});
