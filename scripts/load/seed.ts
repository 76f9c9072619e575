// The load test's customers: accounts and shop records under a prefix of their own, so they are
// never confused with the demo's, created (or found) directly in the database. Idempotent.
import type { PrismaClient } from "../../lib/generated/prisma/client";
import bcrypt from "bcryptjs";

export const LOAD_EMAIL_DOMAIN = "load.countersign.test";
export const LOAD_PASSWORD = "countersign-load-test";
export const LOAD_BCRYPT_COST = 10;
/** Orders 800000 + 10 × user + k, three per customer: six digits, as the offline model reads them. */
const ORDER_BASE = 800_000;
export const ORDERS_PER_CUSTOMER = 3;

export type LoadCustomer = { index: number; email: string; orders: number[] };

export const orderIdOf = (index: number, k: number) => ORDER_BASE + index * 10 + k;

export const loadEmail = (index: number) =>
  `load-${String(index).padStart(4, "0")}@${LOAD_EMAIL_DOMAIN}`;

/** Customers `first` … `first + count - 1` (each phase of a run has customers of its own). */
export async function seedLoadCustomers(
  db: PrismaClient,
  count: number,
  first = 0,
): Promise<LoadCustomer[]> {
  // One hash for all of them, at bcrypt cost 10 rather than the app's 12: signing 200 customers in
  // is the set-up, not the subject, and at cost 12 it takes minutes on two cores. The sign-in
  // figures are printed apart from the chat's.
  const passwordHash = await bcrypt.hash(LOAD_PASSWORD, LOAD_BCRYPT_COST);
  const customers: LoadCustomer[] = Array.from({ length: count }, (_, i) => ({
    index: first + i,
    email: loadEmail(first + i),
    orders: Array.from({ length: ORDERS_PER_CUSTOMER }, (_, k) => orderIdOf(first + i, k)),
  }));
  const placedAt = new Date(Date.now() - 3 * 86_400_000);
  const orders = customers.flatMap((c) =>
    c.orders.map((id, k) => ({
      id,
      customerId: `cus_load_${c.index}`,
      totalCents: 1500 + 500 * k,
      k,
    })),
  );
  // Accounts left by an earlier run are kept (same password); a deactivated one is reactivated.
  await db.user.createMany({
    data: customers.map((c) => ({
      email: c.email,
      name: `Load Customer ${c.index}`,
      role: "user" as const,
      passwordHash,
    })),
    skipDuplicates: true,
  });
  await db.user.updateMany({
    where: { email: { in: customers.map((c) => c.email) } },
    data: { active: true, passwordHash },
  });
  await db.customer.createMany({
    data: customers.map((c) => ({
      id: `cus_load_${c.index}`,
      email: c.email,
      name: `Load Customer ${c.index}`,
    })),
    skipDuplicates: true,
  });
  await db.order.createMany({
    data: orders.map(({ id, customerId, totalCents, k }) => ({
      id,
      customerId,
      status: "delivered",
      totalCents,
      items: [{ sku: `LOAD-${k}`, name: "Load test item", qty: 1, cents: totalCents }],
      placedAt,
    })),
    skipDuplicates: true,
  });
  await db.payment.createMany({
    data: orders.map(({ id, totalCents }) => ({
      id: `pay_${id}`,
      orderId: id,
      amountCents: totalCents,
      method: "card",
      status: "captured",
      createdAt: placedAt,
    })),
    skipDuplicates: true,
  });
  return customers;
}
