// The rule of sign-in throttling (applied in SQL by throttle.ts), and how a wait is told.
//
// Each (account, address) pair, and each address across all accounts, keeps a streak of
// failures. The first few are free; after that the next attempt from the same key must wait,
// twice as long after every further failure, up to a cap. Nothing locks an account for
// everyone: the owner signing in from an address without failures is never made to wait.

export type ThrottleKind = "pair" | "address";

export const FREE_FAILURES: Record<ThrottleKind, number> = { pair: 5, address: 50 };
export const FIRST_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 15 * 60_000;
/** A streak with no failure for this long is forgotten. */
export const FORGET_AFTER_MS = 60 * 60_000;

/** The wait after the n-th failure of a streak (the rule throttle.ts's SQL applies). */
export function delayAfter(failures: number, kind: ThrottleKind): number {
  const over = failures - FREE_FAILURES[kind];
  return over < 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(over, 30));
}

/** "30 seconds", "1 minute", "15 minutes": always rounded up, never "0". */
export function describeWait(waitMs: number): string {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export const TOO_MANY_PREFIX = "Too many failed sign-ins";

export function tooManyMessage(waitMs: number): string {
  return `${TOO_MANY_PREFIX} from this address. Try again in ${describeWait(waitMs)}.`;
}
