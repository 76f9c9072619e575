// The audit trail's hash chain, shared by the app (append, admin page) and the verify script.
// No database or server-only imports here: `npm run audit:verify` loads it outside Next.js.
// The hashed form below is a stored format: changing it breaks every existing chain.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type AuditRecord = {
  seq: number;
  at: Date;
  actorEmail: string;
  action: string;
  approvalId: string | null;
  runId: string | null;
  payload: unknown;
  prevHash: string;
  hash: string;
};

export type HashedFields = Omit<AuditRecord, "prevHash" | "hash">;

/** JSON with object keys sorted by UTF-16 code units and no whitespace (the RFC 8785 shape). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** hash = sha256(prevHash + canonical JSON of the entry), hex. */
export function auditHash(prevHash: string, entry: HashedFields): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorEmail: entry.actorEmail,
    action: entry.action,
    approvalId: entry.approvalId,
    runId: entry.runId,
    payload: entry.payload,
  });
  return createHash("sha256")
    .update(prevHash + body)
    .digest("hex");
}

export type BrokenLink = { seq: number; problem: string };

export type ChainVerdict = {
  /** Entries read, whether or not they verified. */
  count: number;
  /** The last entry of the unbroken prefix of the chain (null when it is empty or broken at the first). */
  verifiedUpTo: number | null;
  /** The first entry that does not verify, if any. */
  broken: BrokenLink | null;
};

/** Reads entries in `seq` order, after `afterSeq`, at most `limit` of them. */
export type AuditBatchReader = (afterSeq: number, limit: number) => Promise<AuditRecord[]>;

/**
 * Walks the whole chain in `seq` order: each entry must link to the hash of the one before it
 * and hash to its stored value. Reports the first broken link and keeps counting after it.
 */
export async function verifyAuditChain(
  read: AuditBatchReader,
  batchSize = 2000,
): Promise<ChainVerdict> {
  let count = 0;
  let verifiedUpTo: number | null = null;
  let broken: BrokenLink | null = null;
  let expectedPrev = GENESIS_HASH;
  let afterSeq = 0;
  for (;;) {
    const batch = await read(afterSeq, batchSize);
    for (const entry of batch) {
      count += 1;
      if (!broken) {
        broken = checkEntry(entry, expectedPrev);
        if (!broken) verifiedUpTo = entry.seq;
      }
      expectedPrev = entry.hash;
      afterSeq = entry.seq;
    }
    if (batch.length < batchSize) return { count, verifiedUpTo, broken };
  }
}

function checkEntry(entry: AuditRecord, expectedPrev: string): BrokenLink | null {
  if (entry.prevHash !== expectedPrev) {
    return {
      seq: entry.seq,
      problem: `prev_hash does not match the hash of the entry before it (expected ${expectedPrev.slice(0, 12)}…, found ${entry.prevHash.slice(0, 12)}…)`,
    };
  }
  if (auditHash(entry.prevHash, entry) !== entry.hash) {
    return {
      seq: entry.seq,
      problem: "the entry's content does not match its hash (altered after it was written)",
    };
  }
  return null;
}

export function describeVerdict(verdict: ChainVerdict): string {
  if (verdict.broken) {
    const upTo =
      verdict.verifiedUpTo === null
        ? "no entry verified"
        : `verified up to #${verdict.verifiedUpTo}`;
    return `Audit chain BROKEN at #${verdict.broken.seq}: ${verdict.broken.problem}. ${verdict.count} entries, ${upTo}.`;
  }
  if (verdict.count === 0) return "Audit chain is empty.";
  return `Audit chain verified up to #${verdict.verifiedUpTo} (${verdict.count} entries).`;
}
