// The one scripted "model" and "tool" both engines run, so the benchmark compares engines, not
// work: a run of N steps is N model calls, the first N-1 each asking for one lookup, the last
// answering in text. Both answer at once; what is timed is the engine and its database.

/** The step a model call is at, from the tool_use id of the last answered call (`bench_<tag>_<k>`). */
export function nextStep(lastToolUseId: string | undefined): number {
  const k = lastToolUseId ? Number(lastToolUseId.split("_").at(-1)) : 0;
  return k + 1;
}

export const toolUseId = (tag: string, step: number) => `bench_${tag}_${step}`;

/** The instant tool: what a read-only lookup would answer. */
export const instantLookup = (orderId: number) => ({ order_id: orderId, status: "delivered", total_cents: 4_990, refundable_cents: 4_990 });

export const requestText = (steps: number) => `Bench run of ${steps} steps: look up my orders`;
export const stepsOf = (text: string) => Number(/of (\d+) steps/.exec(text)?.[1] ?? 1);
