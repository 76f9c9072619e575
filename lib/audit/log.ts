import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db";
import { auditHash, GENESIS_HASH } from "./chain";

export type AuditInput = {
  actorEmail: string;
  action: string;
  approvalId?: string;
  runId?: string;
  payload: Prisma.InputJsonValue;
};

// Two-key advisory lock (its own key space, apart from the one-key locks of lib/idempotency).
const AUDIT_LOCK = { space: 0x43534155, key: 1 } as const;

/**
 * Appends one entry to the hash-chained audit trail, in the caller's transaction. Appends are
 * serialised by a transaction-scoped advisory lock, so each links to the one committed before it
 * and the chain never forks; call it last in the transaction to hold the lock briefly.
 */
export async function appendAudit(tx: Tx, entry: AuditInput): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(${AUDIT_LOCK.space}::int, ${AUDIT_LOCK.key}::int)`;
  const [last] = await tx.$queryRaw<{ hash: string }[]>`select hash from audit_entries order by seq desc limit 1`;
  const [next] = await tx.$queryRaw<{ seq: bigint }[]>`select nextval(pg_get_serial_sequence('audit_entries', 'seq')) as seq`;
  // The payload is hashed in the form the database gives back: plain JSON, no undefined, no Dates.
  const payload = JSON.parse(JSON.stringify(entry.payload)) as Prisma.InputJsonValue;
  const fields = {
    seq: Number(next!.seq),
    at: new Date(),
    actorEmail: entry.actorEmail,
    action: entry.action,
    approvalId: entry.approvalId ?? null,
    runId: entry.runId ?? null,
    payload,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.auditEntry.create({ data: { ...fields, prevHash, hash: auditHash(prevHash, fields) } });
}

type PacketSource = {
  agent: string;
  tool: string;
  proposedArguments: Prisma.JsonValue;
  proposedHash: string;
  reasons: Prisma.JsonValue;
  run: { request: string };
  toolCall: { confidence: number | null; rationale: string | null };
};

/** The packet a decision was made on, compactly: request, proposed call, why it waited. */
export function decisionPacket(approval: PacketSource) {
  return {
    agent: approval.agent,
    tool: approval.tool,
    request: approval.run.request,
    proposed: approval.proposedArguments as Prisma.InputJsonValue,
    proposedHash: approval.proposedHash,
    reasons: approval.reasons as Prisma.InputJsonValue,
    confidence: approval.toolCall.confidence,
    rationale: approval.toolCall.rationale,
  };
}
