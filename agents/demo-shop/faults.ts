import "server-only";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db";
import { ToolError } from "@/lib/agent-kit";

// Failure switches per shop operation, so demos and tests can make the "external system" fail
// the ways real ones do. Stored in the database so they reach every process.
export const FAULT_MODES = ["rate_limited", "not_found", "upstream_error", "stall"] as const;
export const SHOP_OPERATIONS = [
  "lookup_order",
  "list_refunds",
  "issue_refund",
  "add_order_note",
  "lookup_customer",
  "send_email",
  "send_password_reset",
] as const;

export const setFaultInput = z.object({
  operation: z.enum(SHOP_OPERATIONS),
  mode: z.enum(FAULT_MODES).nullable(),
  /** How many calls fail before the switch turns itself off; null: until cleared. */
  remaining: z.number().int().min(1).max(1000).nullable().default(null),
});

const STALL_MS = 60_000;
const RETRY_AFTER_MS = 1_000;

export async function listFaults(db: Db) {
  const rows = await db.shopFault.findMany({ orderBy: { operation: "asc" } });
  return rows.map((r) => ({ operation: r.operation, mode: r.mode, remaining: r.remaining }));
}

// A transaction too, so that an admin's change and its audit entry commit together.
export async function setFault(db: Db | Tx, input: z.infer<typeof setFaultInput>) {
  if (input.mode === null) {
    await db.shopFault.deleteMany({ where: { operation: input.operation } });
    return { operation: input.operation, mode: null, remaining: null };
  }
  const data = { mode: input.mode, remaining: input.remaining };
  await db.shopFault.upsert({
    where: { operation: input.operation },
    update: data,
    create: { operation: input.operation, ...data },
  });
  return { operation: input.operation, ...data };
}

/** Called by the shop before each operation: throws the switched-on failure, if any. */
export async function applyFault(db: Db, operation: string): Promise<void> {
  const fault = await db.shopFault.findUnique({ where: { operation } });
  if (!fault) return;
  if (fault.remaining !== null) {
    const left = fault.remaining - 1;
    if (left <= 0) await db.shopFault.deleteMany({ where: { operation } });
    else await db.shopFault.update({ where: { operation }, data: { remaining: left } });
  }
  switch (fault.mode) {
    case "rate_limited":
      throw new ToolError("rate_limited", "Too many requests to the shop", {
        retryAfterMs: RETRY_AFTER_MS,
        customerMessage: "Our shop's system was too busy to answer.",
      });
    case "not_found":
      throw new ToolError("not_found", "The shop found nothing for this request");
    case "upstream_error":
      throw new ToolError("upstream_error", "The shop answered 500 Internal Server Error", {
        customerMessage: "Our shop's system had a problem on its side.",
      });
    case "stall":
      // Longer than any tool deadline: the runtime's timeout fires first.
      await new Promise((resolve) => setTimeout(resolve, STALL_MS).unref());
  }
}
