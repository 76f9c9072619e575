import "server-only";
import type { Tx } from "@/lib/db";
import { lockForTransaction } from "@/lib/store";
import { AppError } from "@/lib/errors";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { formatMicros } from "@/lib/format";
import { describeWait, nextUtcMidnight } from "./day";
import { readTurnGateFacts } from "./turn-gate-facts";

/**
 * Runs that hold a user back from starting another: those actively working. A run parked for a
 * reviewer spends nothing while a person decides (hours, sometimes), so it does not count.
 */
export const IN_FLIGHT_STATUSES: readonly RunStatus[] = ["queued", "routing", "running"];

export type SpendLimit = "user_daily_budget" | "turns_per_minute" | "runs_in_flight";

// Two-key advisory locks in a key space of their own ("CSTR"), apart from the audit chain's.
const TURN_LOCK_SPACE = 0x43535452;

/** An admitted turn: the user's latest conversation (null before the first), read with the limits. */
export type AdmittedTurn = { conversationId: string | null };

/**
 * Admits one new turn of the user, or refuses it with a message saying which limit and when to
 * try again. Call it in the transaction that creates the run: the per-user advisory lock makes
 * each check-then-insert atomic, so concurrent turns are counted one after another (under READ
 * COMMITTED each statement after the lock sees the runs the previous holder committed).
 */
export async function admitTurn(
  tx: Tx,
  userId: string,
  clock: () => Date = () => new Date(),
): Promise<AdmittedTurn> {
  await lockForTransaction(tx, { space: TURN_LOCK_SPACE, key: userId });
  // The time once the lock is held: the turns counted were created before it.
  const now = clock();
  const facts = await readTurnGateFacts(tx, userId, now, IN_FLIGHT_STATUSES);
  const { limits } = facts;

  // The longest wait first: a user over their budget learns that, not that they typed fast.
  if (facts.spentTodayMicros >= limits.userDailyBudgetMicros) {
    const wait = nextUtcMidnight(now).getTime() - now.getTime();
    refuse(
      "user_daily_budget",
      `You have used today's budget for the assistant (${formatMicros(limits.userDailyBudgetMicros)}). You can ask again after midnight UTC, in ${describeWait(wait)}. This message was not sent.`,
      wait,
    );
  }

  if (facts.recentTurns >= limits.maxTurnsPerMinute) {
    // The window frees a place when the oldest of the last `max` turns is a minute old.
    const wait = Math.min(60_000, facts.oldestRecentTurnAt! + 60_000 - now.getTime());
    const max = limits.maxTurnsPerMinute;
    refuse(
      "turns_per_minute",
      `You can send up to ${max} message${max === 1 ? "" : "s"} a minute. Try again in ${describeWait(wait)}; this message was not sent.`,
      wait,
    );
  }

  const inFlight = facts.runsInFlight;
  if (inFlight >= limits.maxRunsInFlight) {
    refuse(
      "runs_in_flight",
      `The assistant is still working on ${inFlight} of your requests (at most ${limits.maxRunsInFlight} at once). Send this again as soon as one of them is answered; this message was not sent.`,
      null,
    );
  }
  return { conversationId: facts.conversationId };
}

function refuse(limit: SpendLimit, message: string, waitMs: number | null): never {
  throw new AppError("rate_limited", message, {
    limit,
    retryAfterSeconds: waitMs === null ? null : Math.max(1, Math.ceil(waitMs / 1000)),
  });
}
