import "server-only";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
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
async function linkEntries(tx: Tx, entries: Unlinked[]): Promise<void> {
  if (entries.length === 0) return;
  const [last] = await tx.$queryRaw<{ hash: string }[]>`select hash from audit_entries order by seq desc limit 1`;
  const seqs = await tx.$queryRaw<{ seq: bigint }[]>`
    select nextval(pg_get_serial_sequence('audit_entries', 'seq')) as seq from generate_series(1, ${entries.length}::int)`;
  const ordered = seqs.map((s) => Number(s.seq)).sort((a, b) => a - b);
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = entries.map((entry, i) => {
    // Hashed in the form the database gives back: plain JSON, no undefined, no Dates.
    const payload = JSON.parse(JSON.stringify(entry.payload)) as Prisma.InputJsonValue;
    const fields = { ...entry, seq: ordered[i]!, payload };
    const hash = auditHash(prevHash, fields);
    const row = { ...fields, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await tx.auditEntry.createMany({ data: rows });
}

const lockChain = (tx: Tx) => tx.$executeRaw`select pg_advisory_xact_lock(${CHAIN_LOCK.space}::int, ${CHAIN_LOCK.key}::int)`;

/** Links one entry now, in the caller's transaction (admin actions: rare, and read back at once). */
export async function linkNow(tx: Tx, entry: Unlinked): Promise<void> {
  await lockChain(tx);
  await linkEntries(tx, [entry]);
}

/**
 * Chains up to `limit` waiting entries, oldest written first, in one transaction. Returns how
 * many it linked, or null when another appender holds the lock (it is doing the same work).
 */
export async function chainPendingAudit(limit = BATCH): Promise<number | null> {
  return db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ got: boolean }[]>`select pg_try_advisory_xact_lock(${CHAIN_LOCK.space}::int, ${CHAIN_LOCK.key}::int) as got`;
    if (!lock?.got) return null;
    const waiting = await tx.auditPending.findMany({ orderBy: { id: "asc" }, take: limit });
    if (waiting.length === 0) return 0;
    await linkEntries(
      tx,
      waiting.map(({ at, actorEmail, action, approvalId, runId, payload }) => ({
        at,
        actorEmail,
        action,
        approvalId,
        runId,
        payload: payload as Prisma.InputJsonValue,
      })),
    );
    await tx.auditPending.deleteMany({ where: { id: { in: waiting.map((w) => w.id) } } });
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
