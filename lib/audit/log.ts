import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db";

export type AuditInput = {
  actorEmail: string;
  action: string;
  approvalId?: string;
  runId?: string;
  payload: Prisma.InputJsonValue;
};

/** Appends one entry to the hash-chained audit trail, in the caller's transaction. (Being built.) */
export async function appendAudit(_tx: Tx, _entry: AuditInput): Promise<void> {}
