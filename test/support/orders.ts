import { randomInt } from "node:crypto";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * An order of `customerId` that no other test touches, so tests sharing the database stay
 * independent. Six digits: the offline model reads order numbers of 4 to 6 digits.
 */
export async function freshOrder(totalCents: number, customerId = "cus_ada"): Promise<number> {
  for (;;) {
    const id = randomInt(100_000, 1_000_000);
    try {
      await db.order.create({
        data: {
          id,
          customerId,
          status: "delivered",
          totalCents,
          items: [{ sku: "TEST", qty: 1, cents: totalCents }],
          placedAt: new Date(),
        },
      });
      return id;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
}
