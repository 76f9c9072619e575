import "server-only";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from "kysely";
import type { DB } from "@/lib/generated/kysely/types";

export type { DB };

/**
 * Kysely as a typed SQL compiler only: statements are built here and run by `rows`/`hot`
 * (lib/store/run.ts) on whatever the caller holds — the client's own pool (lib/db/index.ts: no second
 * pool), a pg transaction or a Prisma one — so a statement joins the caller's transaction instead
 * of opening a connection of its own, and one executor decides how values (dates) are sent.
 */
export const builder = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
