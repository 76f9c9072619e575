import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db";
import { linkNow } from "./chainer";

export type AuditInput = {
  actorEmail: string;
  action: string;
  approvalId?: string;
  runId?: string;
  payload: Prisma.InputJsonValue;
};

/**
 * Appends one entry to the hash chain now, in the caller's transaction, under the chain's lock
 * (admin actions: rare, and their pages read the entry back at once).
 */
export async function appendAudit(tx: Tx, entry: AuditInput): Promise<void> {
  await linkNow(tx, fieldsOf(entry));
}

/**
 * Writes one entry in the caller's transaction without touching the chain's lock, so concurrent
 * decisions do not queue on each other; the appender (chainer.ts) links it within a moment. Until
 * then it is listed and counted as "not yet chained".
 */
export async function recordAudit(tx: Tx, entry: AuditInput): Promise<void> {
  await tx.auditPending.create({ data: fieldsOf(entry) });
}

function fieldsOf(entry: AuditInput) {
  return {
    at: new Date(),
    actorEmail: entry.actorEmail,
    action: entry.action,
    approvalId: entry.approvalId ?? null,
    runId: entry.runId ?? null,
    payload: entry.payload,
  };
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
