import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { builder, rows } from "@/lib/store";
import {
  FIRST_DELAY_MS,
  FORGET_AFTER_MS,
  FREE_FAILURES,
  MAX_DELAY_MS,
  tooManyMessage,
  type ThrottleKind,
} from "./throttle-policy";

// Password checks (sign-in, and re-authentication before minting a token) are throttled per
// (account, address) pair and per address across accounts; throttle-policy.ts states the rule.
//
// Each key is checked and counted by one statement (an upsert that holds the row's lock): an
// attempt is counted as a failure *before* the password is compared, and taken back if it was
// right, so 15 concurrent guesses against 5 free ones let exactly 5 through. No transaction is
// held open across round trips, so a burst of attempts cannot starve the connection pool.

const ANY_ACCOUNT = "*"; // the per-address row; never a valid email
// A free failure leaves the key "blocked until" a minute before its own clock, not at it: concurrent
// attempts read their clocks in one order and take the row's lock in another, and one whose clock
// is a millisecond behind must not see the previous attempt's "now" as a block.
const NOT_BLOCKED_MS = -60_000;

type Outcome = { allowed: boolean; blocked_until: Date };

/** Counts one attempt against a key unless that key must wait; says which, and until when. */
async function countAttempt(
  email: string,
  ip: string,
  kind: ThrottleKind,
  now: Date,
): Promise<{ allowed: true } | { allowed: false; waitMs: number }> {
  const attempt = randomUUID();
  const free = FREE_FAILURES[kind];
  const since = new Date(now.getTime() - FORGET_AFTER_MS);
  // n: the failure count this attempt brings the streak to (a quiet streak starts again at 1);
  // the next attempt waits 0 below `free`, then FIRST_DELAY_MS doubling per failure, capped.
  const [row] = await db.$queryRaw<Outcome[]>`
    insert into sign_in_throttles as t (email, ip, failures, last_failure_at, blocked_until, last_attempt)
    values (${email}, ${ip}, 1, ${now}, ${now}::timestamp(3) + (case when 1 < ${free} then ${NOT_BLOCKED_MS}::int else ${FIRST_DELAY_MS} end) * interval '1 millisecond', ${attempt}::uuid)
    on conflict (email, ip) do update set
      failures = case when t.blocked_until > ${now} then t.failures
                      when t.last_failure_at >= ${since} then t.failures + 1 else 1 end,
      last_failure_at = case when t.blocked_until > ${now} then t.last_failure_at else ${now} end,
      last_attempt = case when t.blocked_until > ${now} then t.last_attempt else ${attempt}::uuid end,
      blocked_until = case when t.blocked_until > ${now} then t.blocked_until
                           else ${now}::timestamp(3) + interval '1 millisecond' * (
                             select case when n < ${free} then ${NOT_BLOCKED_MS}::int else least(${MAX_DELAY_MS}, ${FIRST_DELAY_MS} * power(2, least(n - ${free}, 30))) end
                             from (select case when t.last_failure_at >= ${since} then t.failures + 1 else 1 end as n) as streak) end
    returning (last_attempt = ${attempt}::uuid) as allowed, blocked_until`;
  if (row?.allowed) return { allowed: true };
  return {
    allowed: false,
    waitMs: Math.max(1, (row?.blocked_until.getTime() ?? now.getTime()) - now.getTime()),
  };
}

/**
 * The pair is counted first, then the address. An attempt refused by the address alone leaves
 * the pair's count one higher: erring towards slowing someone already spraying many accounts.
 */
async function beginAttempt(
  email: string,
  ip: string,
): Promise<{ allowed: true } | { allowed: false; waitMs: number }> {
  const now = new Date();
  const pair = await countAttempt(email, ip, "pair", now);
  if (!pair.allowed) return pair;
  return countAttempt(ANY_ACCOUNT, ip, "address", now);
}

/**
 * The attempt was right: forget the pair's streak and take this attempt back from the
 * address's. The address was not blocked when the attempt began, so any block is this attempt's.
 */
async function attemptSucceeded(email: string, ip: string): Promise<void> {
  const now = new Date();
  await rows(
    db,
    builder.deleteFrom("sign_in_throttles").where("email", "=", email).where("ip", "=", ip),
  );
  await rows(
    db,
    builder
      .updateTable("sign_in_throttles")
      .set({
        failures: sql<number>`greatest(failures - 1, 0)`,
        blocked_until: sql<Date>`least(blocked_until, ${now}::timestamp(3))`,
      })
      .where("email", "=", ANY_ACCOUNT)
      .where("ip", "=", ip),
  );
  await rows(
    db,
    builder
      .deleteFrom("sign_in_throttles")
      .where("email", "=", ANY_ACCOUNT)
      .where("ip", "=", ip)
      .where("failures", "=", 0),
  );
}

/**
 * Runs `check` (a password comparison) unless this account and address, or this address, must
 * wait; then throws a `rate_limited` error whose message says how long. A failed check stays
 * counted; a passed one is taken back.
 */
export async function throttledPasswordCheck(
  email: string,
  ip: string,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const attempt = await beginAttempt(email, ip);
  if (!attempt.allowed) {
    throw new AppError("rate_limited", tooManyMessage(attempt.waitMs), {
      retryAfterSeconds: Math.ceil(attempt.waitMs / 1000),
    });
  }
  const ok = await check();
  if (ok) await attemptSucceeded(email, ip);
  return ok;
}
