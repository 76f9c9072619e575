import "server-only";
import { randomInt } from "node:crypto";
import { z } from "zod";
import { defineFixtures } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { FAULT_MODES } from "./faults";

// The demo shop's eval fixtures, shared by its agents (refunds, accounts, support): a fresh order
// of the demo customer ("{order}" in a case), and the shop's failure switches.

const shopState = z.object({
  /** An order of the demo customer, created fresh for the case. */
  order: z
    .object({
      totalCents: z.number().int().min(1),
      status: z.string().default("delivered"),
      refundedCents: z.number().int().min(0).default(0),
    })
    .optional(),
  /** Shop failure switches on while the case runs (the operations of agents/demo-shop/faults.ts). */
  faults: z
    .array(
      z.object({
        operation: z.string(),
        mode: z.enum(FAULT_MODES),
        remaining: z.number().int().min(1).nullable().default(null),
      }),
    )
    .default([]),
});
type ShopState = z.output<typeof shopState>;

/** An order of the customer that no other case touches (six digits, as the agents read them). */
async function freshOrder(order: NonNullable<ShopState["order"]>, email: string): Promise<number> {
  const { id: customerId } = await db.customer.findUniqueOrThrow({ where: { email } });
  for (;;) {
    const id = randomInt(100_000, 1_000_000);
    try {
      await db.order.create({
        data: {
          id,
          customerId,
          status: order.status,
          totalCents: order.totalCents,
          items: [{ sku: "EVAL", qty: 1, cents: order.totalCents }],
          placedAt: new Date(),
        },
      });
      if (order.refundedCents > 0) {
        await db.refund.create({
          data: {
            id: `re_eval_${id}`,
            orderId: id,
            amountCents: order.refundedCents,
            reason: "eval state: refunded before",
            idempotencyKey: `eval-state-${id}`,
          },
        });
      }
      return id;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
}

const orderRead = z.object({
  orderId: z.number().int(),
  totalCents: z.number().int(),
  status: z.string(),
  refundedCents: z.number().int(),
});

export const shopFixtures = defineFixtures({
  state: shopState,
  async setUp(state, { subject }) {
    await db.shopFault.deleteMany({});
    for (const fault of state.faults) await db.shopFault.create({ data: fault });
    return { order: state.order ? await freshOrder(state.order, subject.email) : undefined };
  },
  async tearDown() {
    await db.shopFault.deleteMany({});
  },
  // The order as the agent read it before proposing the call becomes the case's fresh order.
  fromDecision({ arguments: args, reads }) {
    const orderId = typeof args.order_id === "number" ? args.order_id : null;
    const read = reads
      .map((r) => orderRead.safeParse(r.result))
      .find((r) => r.success && r.data.orderId === orderId);
    if (orderId === null || !read?.success) return null;
    const { totalCents, status, refundedCents } = read.data;
    return {
      state: { order: { totalCents, status, refundedCents }, faults: [] },
      placeholders: { order: orderId },
    };
  },
});
