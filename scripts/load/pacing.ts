// How the load test's customers pace their turns. With LOAD_THINK_MS=0, the closed loop: first
// sends spread over one second, then each customer sends its next turn the moment the previous one
// is answered, so everyone queues at once and a turn's wait is mostly the queue ahead of it. With
// LOAD_THINK_MS=T, as people chat: first sends spread uniformly over T (arrivals spread out, not a
// stampede), and between turns each customer reads and types for a time drawn uniformly from
// [0.5 T, 1.5 T]. The draws are seeded by the customer's position in its phase, so a run can be
// repeated and the floor (the same turns straight on the engine) paces its i-th customer exactly as
// the HTTP phase paces its own.

/** The closed loop's spread of first sends: people do not all press Send in the same millisecond. */
export const CLOSED_LOOP_START_SPREAD_MS = 1000;

export type Pacing = {
  /** Wait before the first send. */
  startDelayMs: number;
  /** Reading and typing after turn k, before turn k + 1 (none after the last turn). */
  thinkMs: number[];
};

/** Uniform in [0, 1), seeded (mulberry32: small, fast, and good enough for spreading arrivals). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The pacing of the customer at `position` in its phase, for `turns` turns. */
export function planPacing(position: number, thinkMs: number, turns: number): Pacing {
  // Spread the seeds apart so neighbouring customers do not start from neighbouring states.
  const random = seededRandom(Math.imul(position + 1, 0x9e3779b1));
  if (thinkMs === 0) return { startDelayMs: random() * CLOSED_LOOP_START_SPREAD_MS, thinkMs: [] };
  const startDelayMs = random() * thinkMs;
  const thinks = Array.from({ length: Math.max(0, turns - 1) }, () => (0.5 + random()) * thinkMs);
  return { startDelayMs, thinkMs: thinks };
}

/**
 * How long to wait after a turn answered `elapsedMs` after its send: the customer's thinking, but
 * at least what keeps it under the per-minute limit (`spacingMs` from send to send).
 */
export function pauseAfterTurn(elapsedMs: number, spacingMs: number, thinkMs: number): number {
  return Math.max(0, spacingMs - elapsedMs, thinkMs);
}

/** The longest the pacing alone can keep one customer waiting over a phase (used to bound it). */
export function longestPacingMs(thinkMs: number, turns: number): number {
  return thinkMs * (1 + 1.5 * Math.max(0, turns - 1));
}

/** Sends per second between the first and the last send, from their start times in ms. */
export function arrivalsPerSecond(sentAt: readonly number[]): number {
  if (sentAt.length < 2) return 0;
  const span = Math.max(...sentAt) - Math.min(...sentAt);
  return span > 0 ? ((sentAt.length - 1) * 1000) / span : 0;
}

/**
 * The turns per second the pacing asks for: each customer sends once per think time plus turn
 * time (Little's law, N / (think + response)). Zero think time asks for whatever the app answers.
 */
export function offeredTurnsPerSecond(
  customers: number,
  thinkMs: number,
  meanTurnMs: number,
): number | null {
  if (thinkMs === 0) return null;
  return (customers * 1000) / (thinkMs + meanTurnMs);
}

/** Which mode ran, in words for the report. */
export function describePacing(thinkMs: number): string {
  return thinkMs === 0
    ? "closed loop (no think time: each customer sends its next turn the moment the previous one is answered; first sends spread over 1 s)"
    : `think time (each customer pauses ${(thinkMs / 2000).toFixed(1)}–${((thinkMs * 1.5) / 1000).toFixed(1)} s between turns, ${(thinkMs / 1000).toFixed(1)} s on average; first sends spread over ${(thinkMs / 1000).toFixed(1)} s)`;
}

/** Waits `ms`, or less if the run is stopped. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
