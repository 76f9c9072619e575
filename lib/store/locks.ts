import "server-only";
import { sql } from "kysely";
import { builder } from "./kysely";
import { rows, type Queryable } from "./run";

/**
 * Takes a transaction-scoped advisory lock in a key space of its own: a text key is hashed, a
 * number taken as is. Held until the caller's transaction ends, so writers of one thing (an agent's
 * settings, the policy) go one at a time. The lock is called in FROM, so the row carries no `void`
 * column (a Prisma transaction cannot read one back).
 */
export async function lockForTransaction(on: Queryable, space: number, key: string | number) {
  const second = typeof key === "number" ? sql`${key}::int` : sql`hashtext(${key})`;
  await rows(
    on,
    sql`select true as locked from pg_advisory_xact_lock(${space}::int, ${second})`.compile(
      builder,
    ),
  );
}
