export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export type Measure = { msPerStep: number; stepsPerSecond: number };

/** An engine under measurement: `run` may return its own time (leaving set-up out); `verify` checks the runs since the last call, after the clock stops. */
export type Engine = {
  name: string;
  run(steps: number): Promise<number | void>;
  verify?(): Promise<void>;
  close(): Promise<unknown>;
};

/** Runs `runs` runs of `steps` steps on `clients` concurrent clients; ms/step is the median over runs, steps/s is over the wall clock (set-up included). */
export async function measure(
  clients: number,
  runs: number,
  steps: number,
  runOnce: () => Promise<number | void>,
): Promise<Measure> {
  const perRun: number[] = [];
  let left = runs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (left-- > 0) {
        const t = performance.now();
        // An engine may time its run itself (leaving out setting the run up and checking it).
        const timed = await runOnce();
        perRun.push((typeof timed === "number" ? timed : performance.now() - t) / steps);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { msPerStep: median(perRun), stepsPerSecond: (runs * steps) / seconds };
}
