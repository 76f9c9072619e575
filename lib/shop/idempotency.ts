import { createHash } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { ShopError } from "./errors";

export function stableHash(value: unknown): string {
  return createHash("sha256").update(stableStringify(value)).digest("hex");
}

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Runs a write at most once per key, as a payment provider does: a repeated key with the same
 * request returns the first response; with a different request it is refused. A write that
 * fails records nothing, so the key may be retried.
 */
export async function idempotent<T extends Prisma.InputJsonValue>(
  db: Db,
  key: string,
  operation: string,
  request: unknown,
  write: (tx: Tx) => Promise<T>,
): Promise<T> {
  const requestHash = stableHash({ operation, request });
  return db.$transaction(async (tx) => {
    // Requests with the same key queue up here; each then sees whether an earlier one finished.
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${key}))`;
    const prior = await tx.shopIdempotency.findUnique({ where: { key } });
    if (prior) {
      if (prior.requestHash !== requestHash || prior.operation !== operation) {
        throw new ShopError("conflict", `Idempotency key ${key} was already used for a different request`);
      }
      return prior.response as T;
    }
    const response = await write(tx);
    await tx.shopIdempotency.create({ data: { key, operation, requestHash, response } });
    return response;
  });
}
