import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

function createClient() {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: env().COUNTERSIGN_DB_POOL_MAX }),
    // Secret columns never leave the database unless a query asks for them by name.
    omit: { user: { passwordHash: true } },
    // Under load a connection can take more than Prisma's 2 s default to come free, and a busy
    // machine can stretch a short transaction past 5 s: waiting is better than failing a run.
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// One client per process, surviving hot reloads in development, created on first use so that
// importing this module (as `next build` does) needs no database configuration.
const globalForDb = globalThis as unknown as { countersignDb?: Db };

function client(): Db {
  globalForDb.countersignDb ??= createClient();
  return globalForDb.countersignDb;
}

export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const instance = client();
    const value = Reflect.get(instance, property);
    return typeof value === "function" ? value.bind(instance) : value;
  },
});
