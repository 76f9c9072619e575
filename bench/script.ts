// The one scripted "model" and "tool" both engines run, so the benchmark compares engines, not
// work: a run of N steps is N model calls, the first N-1 each asking for one lookup, the last
// answering in text. Both answer at once; what is timed is the engine and its database.

import { median } from "./stats";

/** The step a model call is at, from the tool_use id of the last answered call (`bench_<tag>_<k>`). */
export function nextStep(lastToolUseId: string | undefined): number {
  const k = lastToolUseId ? Number(lastToolUseId.split("_").at(-1)) : 0;
  return k + 1;
}

export const toolUseId = (tag: string, step: number) => `bench_${tag}_${step}`;

/** The instant tool: what a read-only lookup would answer. */
export const instantLookup = (orderId: number) => ({
  order_id: orderId,
  status: "delivered",
  total_cents: 4_990,
  refundable_cents: 4_990,
});

let runs = 0;
/** A run's request: how many steps it takes, and a number of its own (what the step clock files it under). */
export const requestText = (steps: number) =>
  `Bench run ${++runs} of ${steps} steps: look up my orders`;
export const stepsOf = (text: string) => Number(/of (\d+) steps/.exec(text)?.[1] ?? 1);

/**
 * When each model call of each run began (the engines mark it as their model is called): step k
 * of a run takes from its model call to the next one, the engine's write, the tool and the next
 * prompt included. Early against late steps of the same runs shows whether a step's cost grows.
 */
const calls = new Map<string, number[]>();
export const markModelCall = (request: string) => {
  const run = /^Bench run (\d+)/.exec(request)?.[1] ?? "?";
  const marks = calls.get(run) ?? [];
  marks.push(performance.now());
  calls.set(run, marks);
};

/** The median time of the first `span` steps and of the last `span` steps over the runs marked since the last call; clears the marks. */
export function stepCostEarlyAndLate(span = 10): { early: number; late: number } | null {
  const early: number[] = [];
  const late: number[] = [];
  for (const marks of calls.values()) {
    const steps = marks.slice(1).map((t, i) => t - marks[i]!);
    if (steps.length < 2 * span) continue;
    early.push(...steps.slice(0, span));
    late.push(...steps.slice(-span));
  }
  calls.clear();
  return early.length ? { early: median(early), late: median(late) } : null;
}
