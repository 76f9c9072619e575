import "server-only";
import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db } from "@/lib/db";
import { setFault, type setFaultInput } from "./faults";

/** For the admin page: flips a demo shop failure switch, audited with the switch's state before and after. */
export async function setShopFaultAudited(actor: Actor, input: z.infer<typeof setFaultInput>) {
  return db.$transaction(async (tx) => {
    const before = await tx.shopFault.findUnique({
      where: { operation: input.operation },
      select: { mode: true, remaining: true },
    });
    const after = await setFault(tx, input);
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "shop_fault_set",
      payload: {
        operation: input.operation,
        before: before ?? { mode: null, remaining: null },
        after: { mode: after.mode, remaining: after.remaining },
      },
    });
    return after;
  });
}
