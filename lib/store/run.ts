import "server-only";
import type { Compilable, CompiledQuery } from "kysely";
import { db, PgTransaction, pool, runPrepared, type Db, type Tx } from "@/lib/db";

/** Whatever a statement runs on: the pool (`db`), a pg transaction, or a Prisma transaction. */
export type Queryable = Db | Tx | PgTransaction;

// pg would send a Date in the process's time zone with its offset, which a `timestamp` column
// (UTC, as Prisma writes it) drops: the instant goes as UTC instead, whatever the time zone.
const utc = (values: readonly unknown[]) =>
  values.map((v) => (v instanceof Date ? v.toISOString() : v));

async function execute<R>(
  on: Queryable,
  text: string,
  values: readonly unknown[],
  prepare: boolean,
) {
  if (on instanceof PgTransaction) return on.query<R>(text, utc(values), { prepare });
  if (on === db)
    return (
      prepare ? await runPrepared(pool(), text, utc(values)) : await pool().query(text, utc(values))
    ).rows as R[];
  // A Prisma transaction: the statement must run on its connection to see (and hold) its writes.
  return (on as Tx).$queryRawUnsafe<R[]>(text, ...values);
}

/**
 * The rows of one Kysely statement, typed by the statement itself, on what the caller holds.
 * Compiled per call: for statements whose shape varies (filters, lists) or that run rarely.
 */
export function rows<R>(on: Queryable, query: Compilable<R> | CompiledQuery<R>): Promise<R[]> {
  const compiled = "compile" in query ? query.compile() : query;
  return execute<R>(on, compiled.sql, compiled.parameters, false);
}

/** A named input of a hot statement: stands in for the value while the statement is compiled. */
class Slot {
  constructor(readonly name: string) {}
}

/** The value a statement receives per call (the type its slot stands in for). */
export type HotStatement<P, R> = (on: Queryable, params: P) => Promise<R[]>;

/**
 * A statement on the hot path, built and compiled once (Kysely compiles a query on every call,
 * which costs a step more than it saves) and prepared once per connection (lib/db/index.ts says why).
 * `build` receives its inputs as slots: `p.runId` is a stand-in that the compiled statement
 * carries as a parameter, replaced by the call's value each time. The statement's text never
 * varies, so each hot statement is one prepared statement per connection.
 */
export function hot<P extends Record<string, unknown>, R>(
  build: (p: P) => Compilable<R>,
): HotStatement<P, R> {
  let compiled: { text: string; parameters: readonly unknown[] } | undefined;
  return (on, params) => {
    compiled ??= compileWithSlots(build);
    const values = compiled.parameters.map((v) => (v instanceof Slot ? params[v.name] : v));
    return execute<R>(on, compiled.text, values, true);
  };
}

function compileWithSlots<P, R>(build: (p: P) => Compilable<R>) {
  const slots = new Proxy({} as Record<string, Slot>, {
    get: (cache, name) => (typeof name === "string" ? (cache[name] ??= new Slot(name)) : undefined),
  });
  const { sql, parameters } = build(slots as P).compile();
  return { text: sql, parameters };
}

/**
 * A fixed-text statement the builder does not express (the engine's data-modifying CTEs, which
 * write a step or a decision in one round trip), with the row type it returns declared here, once,
 * beside its text. Prepared once per connection, like `hot`. `text` never varies.
 */
export function fixed<R>(text: string): (on: Queryable, values: unknown[]) => Promise<R[]> {
  return (on, values) => execute<R>(on, text, values, true);
}

/** A fixed-text statement built with Prisma.sql (its values bound per call), prepared like `fixed`. */
export function prepared<R>(
  on: Queryable,
  query: { text: string; values: unknown[] },
): Promise<R[]> {
  return execute<R>(on, query.text, query.values, true);
}
