import "server-only";
import { sql } from "kysely";
import { builder } from "./kysely";
import { rows, type Queryable } from "./run";

// Transaction-scoped advisory locks, held until the caller's transaction ends, so writers of one
// thing (an agent's settings, the policy, one customer's turns, one idempotency key) go one at a
// time. Each is called in FROM, so the row carries no `void` column (a Prisma transaction cannot
// read one back).

/** A lock's key: in a key space of its own (a text key hashed, a number taken as is), or one text key alone. */
export type LockKey = { space: number; key: string | number } | { text: string };

const lockArguments = (lock: LockKey) =>
  "text" in lock
    ? sql`hashtext(${lock.text})`
    : sql`${lock.space}::int, ${typeof lock.key === "number" ? sql`${lock.key}::int` : sql`hashtext(${lock.key})`}`;

/** Waits for the lock. */
export async function lockForTransaction(on: Queryable, lock: LockKey): Promise<void> {
  await rows(
    on,
    sql`select true as locked from pg_advisory_xact_lock(${lockArguments(lock)})`.compile(builder),
  );
}

/** Takes the lock if it is free; false when another transaction holds it. */
export async function tryLockForTransaction(on: Queryable, lock: LockKey): Promise<boolean> {
  const [row] = await rows(
    on,
    sql<{
      got: boolean;
    }>`select pg_try_advisory_xact_lock(${lockArguments(lock)}) as got`.compile(builder),
  );
  return row?.got === true;
}
