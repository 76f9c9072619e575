import "server-only";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from "kysely";
import type { DB } from "@/lib/generated/kysely/types";
import { pool } from "@/lib/db";

export type { DB };

/**
 * Kysely as a typed SQL compiler only: statements are built here and run by `rows`/`hot`
 * (lib/store/run.ts) on whatever the caller holds — the pool, a pg transaction or a Prisma one —
 * so a Kysely statement joins the caller's transaction instead of opening its own connection.
 */
export const builder = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

// One Kysely per pool, like lib/db.ts's one pool per client: it borrows a connection of the
// client's own pool per statement, so there is no second pool and no second bound.
const instances = new WeakMap<object, Kysely<DB>>();

/** Kysely executing on the process's pool (statements off the hot path that need no transaction of the caller's). */
export function store(): Kysely<DB> {
  const on = pool();
  let instance = instances.get(on);
  if (!instance) {
    instance = new Kysely<DB>({ dialect: new PostgresDialect({ pool: on }) });
    instances.set(on, instance);
  }
  return instance;
}
