import "server-only";
import { lockForTransaction, prepared, tryLockForTransaction } from "@/lib/store";
import { withPgTransaction, type PgTransaction, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { auditHash, GENESIS_HASH, type HashedFields } from "./chain";

// The single appender of the hash chain. Decisions and expiries write their entries to
// audit_pending in their own transactions, taking no shared lock; the appender moves them into
// audit_entries in batches under one advisory lock, assigning seq, prev_hash and hash. The chain's
// order is the order entries are linked in (seq), not the order they were written in.

// Two-key advisory lock (its own key space, apart from the one-key locks of lib/idempotency).
const CHAIN_LOCK = { space: 0x43534155, key: 1 } as const;
const BATCH = 500;

type Unlinked = Omit<HashedFields, "seq">;

/** Links entries to the end of the chain, in the given order. The caller holds the chain lock. */
async function linkEntries(tx: Tx | PgTransaction, entries: Unlinked[]): Promise<void> {
  if (entries.length === 0) return;
  const [last] = await prepared<{ hash: string }>(
    tx,
    Prisma.sql`select hash from audit_entries order by seq desc limit 1`,
  );
  const seqs = await prepared<{ seq: bigint | string }>(
    tx,
    Prisma.sql`select nextval(pg_get_serial_sequence('audit_entries', 'seq')) as seq from generate_series(1, ${entries.length}::int)`,
  );
  const ordered = seqs.map((s) => Number(s.seq)).sort((a, b) => a - b);
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = entries.map((entry, i) => {
    // Hashed in the form the database gives back: plain JSON, no undefined, no Dates.
    const payload = JSON.parse(JSON.stringify(entry.payload)) as Prisma.InputJsonValue;
    const fields = { ...entry, seq: ordered[i]!, payload };
    const hash = auditHash(prevHash, fields);
    const row = { ...fields, at: fields.at.toISOString(), prevHash, hash };
    prevHash = hash;
    return row;
  });
  // One statement for the whole batch. The ISO instant's "Z" is ignored by a timestamp column,
  // which holds UTC (what Prisma writes and reads back).
  await prepared(
    tx,
    Prisma.sql`
    insert into audit_entries (seq, at, actor_email, action, approval_id, run_id, payload, prev_hash, hash)
    select e.seq, e.at, e."actorEmail", e.action, e."approvalId", e."runId", e.payload, e."prevHash", e.hash
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as e(seq int, at timestamp(3), "actorEmail" text, action text, "approvalId" uuid, "runId" uuid, payload jsonb, "prevHash" text, hash text)`,
  );
}

const lockChain = (tx: Tx) => lockForTransaction(tx, CHAIN_LOCK);

/** Links one entry now, in the caller's transaction (admin actions: rare, and read back at once). */
export async function linkNow(tx: Tx, entry: Unlinked): Promise<void> {
  await lockChain(tx);
  await linkEntries(tx, [entry]);
}

type Waiting = Omit<Unlinked, "at"> & { id: string; atMs: number };

/**
 * Chains up to `limit` waiting entries, oldest written first, in one transaction. Returns how
 * many it linked, or null when another appender holds the lock (it is doing the same work). On
 * the pg path (lib/db withPgTransaction): run beside twenty reviewers, its Prisma statements took
 * about as much of this process's CPU as the decisions themselves (docs/benchmarks.md).
 */
export async function chainPendingAudit(limit = BATCH): Promise<number | null> {
  return withPgTransaction(async (tx) => {
    if (!(await tryLockForTransaction(tx, CHAIN_LOCK))) return null;
    // The instant as milliseconds since the epoch: exact for a timestamp(3), whatever the process's time zone.
    const waiting = await tx.query<Waiting>(
      `select id::text as id, (extract(epoch from at) * 1000)::float8 as "atMs", actor_email as "actorEmail", action,
              approval_id as "approvalId", run_id as "runId", payload
         from audit_pending order by id limit $1`,
      [limit],
    );
    if (waiting.length === 0) return 0;
    await linkEntries(
      tx,
      waiting.map(({ atMs, actorEmail, action, approvalId, runId, payload }) => ({
        at: new Date(atMs),
        actorEmail,
        action,
        approvalId,
        runId,
        payload,
      })),
    );
    await tx.query("delete from audit_pending where id = any($1::bigint[])", [
      waiting.map((w) => w.id),
    ]);
    return waiting.length;
  });
}

/** Chains everything waiting (tests, shutdown, the verify script's `--chain`). */
export async function chainAllPendingAudit(): Promise<number> {
  let total = 0;
  for (;;) {
    const linked = await chainPendingAudit();
    if (linked === null) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    total += linked;
    if (linked < BATCH) return total;
  }
}

const CHAIN_INTERVAL_MS = Number(process.env.COUNTERSIGN_AUDIT_CHAIN_MS ?? 250);
const globalForChainer = globalThis as unknown as { countersignAuditChainer?: NodeJS.Timeout };

/** Runs the appender every `COUNTERSIGN_AUDIT_CHAIN_MS` (default 250 ms) in this process. */
export function startAuditChainer() {
  if (globalForChainer.countersignAuditChainer) return;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      while ((await chainPendingAudit()) === BATCH);
    } catch (error) {
      log.error("audit chainer", { error });
    } finally {
      busy = false;
    }
  };
  globalForChainer.countersignAuditChainer = setInterval(() => void tick(), CHAIN_INTERVAL_MS);
  globalForChainer.countersignAuditChainer.unref();
}

export function stopAuditChainer() {
  clearInterval(globalForChainer.countersignAuditChainer);
  globalForChainer.countersignAuditChainer = undefined;
}
