import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

const pools = new WeakMap<object, pg.Pool>();

/** A client on its own pool (tests give one to a worker they are about to "kill"); without one, on a pool it owns and ends. */
export function createClient(given?: pg.Pool) {
  const pool = given ?? new pg.Pool({ connectionString: env().DATABASE_URL, max: env().COUNTERSIGN_DB_POOL_MAX, allowExitOnIdle: true });
  // An idle connection that dies (the database restarted, a database dropped) is dropped by the
  // pool and the next query connects again; unhandled, its error would end the process.
  pool.on("error", () => {});
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: !given }),
    // Secret columns never leave the database unless a query asks for them by name.
    omit: { user: { passwordHash: true }, externalAgent: { signingSecret: true } },
    // Under load a connection can take more than Prisma's 2 s default to come free, and a busy
    // machine can stretch a short transaction past 5 s: waiting is better than failing a run.
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
  pools.set(prisma, pool);
  return prisma;
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

/**
 * The pg pool under the process's client, for the engine's hot statements (a step's write, a
 * routing move, the claim). Each is one self-contained statement, and a raw query on the pool costs
 * a third to a fifth of the same query through Prisma's `$queryRawUnsafe` on these machines
 * (measured: 0.7-0.9 ms against 2.3-4.7 ms), which is most of a step's own time.
 */
export function pool(): pg.Pool {
  return pools.get(client())!;
}

// Work that must happen only once a transaction has committed (log lines, telemetry spans): never
// for one that rolled back, so nothing outside the database reports what the database did not keep.
const afterCommit = new WeakMap<object, Array<() => void>>();

/** Runs `effect` after `tx` commits; at once when `tx` is not an interactive transaction. */
export function onCommit(tx: Tx | Db, effect: () => void) {
  const queue = afterCommit.get(tx);
  if (queue) queue.push(effect);
  else effect();
}

async function transactionWithCommitHooks(instance: Db, ...args: Parameters<Db["$transaction"]>) {
  const [work, options] = args;
  if (typeof work !== "function") return instance.$transaction(...args);
  const effects: Array<() => void> = [];
  const result = await instance.$transaction(
    (tx) => {
      afterCommit.set(tx, effects);
      return work(tx);
    },
    options as Parameters<Db["$transaction"]>[1],
  );
  for (const effect of effects) effect();
  return result;
}

export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const instance = client();
    if (property === "$transaction") return (...args: Parameters<Db["$transaction"]>) => transactionWithCommitHooks(instance, ...args);
    const value = Reflect.get(instance, property);
    return typeof value === "function" ? value.bind(instance) : value;
  },
});
