import "server-only";
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

// The pg pool under each client: the hot path (pool(), withPgTransaction) checks its connections out
// of it, so it shares the client's bound (COUNTERSIGN_DB_POOL_MAX) rather than opening a second pool.
// On globalThis, like the client itself: Next.js may bundle this module more than once (the
// instrumentation that starts the workers, the server actions), and the instance that did not
// create the client must still find its pool.
const shared = globalThis as unknown as {
  countersignPools?: WeakMap<object, pg.Pool>;
  countersignAfterCommit?: WeakMap<object, Array<() => void>>;
};
const pools = (shared.countersignPools ??= new WeakMap<object, pg.Pool>());

// A `timestamp` column holds UTC (Prisma writes it so, and the store sends instants as UTC), but pg
// reads one in the process's own time zone: outside UTC, every timestamp the store read came back
// shifted. Prisma's queries bring their own parsers; the store's read through these.
const TIMESTAMP = 1114;
const PLAIN_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/;
const storeTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP && format !== "binary"
      ? (text: string) =>
          PLAIN_TIMESTAMP.test(text)
            ? new Date(`${text.replace(" ", "T")}Z`)
            : pg.types.getTypeParser(TIMESTAMP, "text")(text)
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

/** A client on its own pool (tests give one to a worker they are about to "kill"). */
export function createClient(pool?: pg.Pool) {
  const ownPool =
    pool ??
    new pg.Pool({
      connectionString: env().DATABASE_URL,
      max: env().COUNTERSIGN_DB_POOL_MAX,
      allowExitOnIdle: true,
      types: storeTypes,
    });
  // An idle connection the server closed is dropped by the pool, which opens another when needed.
  if (!pool) ownPool.on("error", () => {});
  const client = new PrismaClient({
    // $disconnect ends a pool made here, as it did when the adapter made it; a caller's pool stays the caller's.
    adapter: new PrismaPg(ownPool, { disposeExternalPool: !pool }),
    // Secret columns never leave the database unless a query asks for them by name.
    omit: { user: { passwordHash: true }, externalAgent: { signingSecret: true } },
    // Under load a connection can take more than Prisma's 2 s default to come free, and a busy
    // machine can stretch a short transaction past 5 s: waiting is better than failing a run.
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
  pools.set(client, ownPool);
  return client;
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

// Work that must happen only once a transaction has committed (log lines, telemetry spans): never
// for one that rolled back, so nothing outside the database reports what the database did not keep.
const afterCommit = (shared.countersignAfterCommit ??= new WeakMap<object, Array<() => void>>());

/** Runs `effect` after `tx` commits; at once when `tx` is not an interactive transaction. */
export function onCommit(tx: Tx | Db | PgTransaction, effect: () => void) {
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
    if (property === "$transaction")
      return (...args: Parameters<Db["$transaction"]>) =>
        transactionWithCommitHooks(instance, ...args);
    const value = Reflect.get(instance, property);
    return typeof value === "function" ? value.bind(instance) : value;
  },
});

/**
 * The pg pool under the process's client, for the engine's hot statements (a step's write, a
 * routing move, the claim). Each is one self-contained statement, and a raw query on the pool costs
 * a third to a fifth of the same query through Prisma's `$queryRawUnsafe` on these machines
 * (measured: 0.7-0.9 ms against 2.3-4.7 ms), which is most of a step's own time.
 */
export function pool(): pg.Pool {
  return pools.get(client())!;
}

// The pg path (withPgTransaction, and lib/store's fixed, hot and prepared statements) prepares
// each statement once per connection, named by a hash of its text: parsing and planning a
// decision's or a step's statement cost the server about as much as running it. Only fixed texts
// come here (the engine's step, claim, load and routing moves, the decision's statements,
// pg-boss's insert), so each connection holds a handful of them.
const statementNames = new Map<string, string>();

export function runPrepared(on: pg.Pool | pg.PoolClient, text: string, values: unknown[]) {
  let name = statementNames.get(text);
  if (!name)
    statementNames.set(
      text,
      (name = `cs_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`),
    );
  return on.query({ name, text, values });
}

/** A transaction on a pooled pg connection (see withPgTransaction). */
export class PgTransaction {
  constructor(private readonly connection: pg.PoolClient) {}

  /**
   * Runs one statement and returns its rows: prepared on this connection by default (fixed texts);
   * `prepare: false` for a text that varies (lib/store's per-call statements), which would leave
   * one prepared statement per variant on the connection.
   */
  async query<T>(text: string, values: unknown[] = [], options = { prepare: true }): Promise<T[]> {
    const result = options.prepare
      ? await runPrepared(this.connection, text, values)
      : await this.connection.query(text, values);
    return result.rows as T[];
  }
}

/**
 * Runs `work` in a transaction on a connection of the client's own pool: begin, work, commit (or
 * rollback on a throw), release; onCommit effects run once it has committed. Hand-written for the
 * hot path, a reviewer's decision: each statement of a Prisma interactive transaction costs
 * milliseconds of CPU in this process on top of its round trip (the query engine's bookkeeping);
 * with twenty reviewers on two cores, this path did 1.7 to 5 times the decisions per second
 * (docs/benchmarks.md). Same statements, same round trips; no transaction timeout of its own.
 */
export async function withPgTransaction<T>(work: (tx: PgTransaction) => Promise<T>): Promise<T> {
  const connection = await pool().connect();
  const tx = new PgTransaction(connection);
  const effects: Array<() => void> = [];
  afterCommit.set(tx, effects);
  let result: T;
  try {
    await connection.query("begin");
    result = await work(tx);
    await connection.query("commit");
  } catch (error) {
    // A connection that cannot even roll back is broken: released with the error, the pool discards it.
    const broken = await connection.query("rollback").then(
      () => undefined,
      (rollbackError: Error) => rollbackError,
    );
    connection.release(broken);
    throw error;
  }
  connection.release();
  for (const effect of effects) effect();
  return result;
}
