import "server-only";
import type { Db, Tx } from "@/lib/db";
import { lockForTransaction } from "@/lib/store";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ToolError } from "@/lib/agent-kit/errors";
import { stableHash } from "./hash";

export type IdempotentRequest = {
  /** Whose keys these are (one system, e.g. "demo-shop"): two systems may see the same key. */
  scope: string;
  key: string;
  /** The kind of write; the same key on another operation is a different request. */
  operation: string;
  request: unknown;
};

/**
 * Runs a write at most once per (scope, key), as a payment provider does: a repeated key with the
 * same request returns the first response, with a different request it is refused (conflict). The
 * write runs in the transaction that records its response, so a write that fails records nothing
 * and the key may be retried.
 */
export async function atMostOnce<T extends Prisma.InputJsonValue>(
  db: Db,
  req: IdempotentRequest,
  write: (tx: Tx) => Promise<T>,
): Promise<{ response: T; replayed: boolean }> {
  const requestHash = stableHash({ operation: req.operation, request: req.request });
  return db.$transaction(async (tx) => {
    // Requests with the same key queue up here; each then sees whether an earlier one finished.
    await lockForTransaction(tx, { text: `${req.scope}:${req.key}` });
    const prior = await tx.idempotencyRecord.findUnique({
      where: { scope_key: { scope: req.scope, key: req.key } },
    });
    if (prior) {
      if (prior.requestHash !== requestHash)
        throw new ToolError(
          "conflict",
          `Idempotency key ${req.key} was already used for a different request`,
        );
      return { response: prior.response as T, replayed: true };
    }
    const response = await write(tx);
    await tx.idempotencyRecord.create({
      data: { scope: req.scope, key: req.key, requestHash, response },
    });
    return { response, replayed: false };
  });
}

/** What was recorded for a key, if anything: how a caller reconciles a write whose answer it lost. */
export async function recordedResponse(
  db: Db | Tx,
  scope: string,
  key: string,
): Promise<Prisma.JsonValue | undefined> {
  const row = await db.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
  return row?.response;
}
