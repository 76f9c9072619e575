// Demo data: the shop's customers, orders and payments, the demo accounts of the contract, and
// the rows of the demo services agents ship (agents/<name>/seed.sql). Idempotent: running it again
// creates nothing twice. Its dates are relative to the day it runs (the demo seeds at every start):
// the seeded orders and parcels are moved to the same distance from today each time, so "order
// 1043 arrives in two days" stays true on any day the demo starts.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../lib/generated/prisma/client";
import { hashPassword } from "../lib/auth/password";
import { seedAgents } from "../lib/db/agent-sql";

export const DEMO_PASSWORD = "countersign-demo";

export const DEMO_ACCOUNTS = [
  { email: "admin@example.com", name: "Avery Admin", role: "admin" },
  { email: "reviewer@example.com", name: "Riley Reviewer", role: "reviewer" },
  { email: "reviewer2@example.com", name: "Robin Reviewer", role: "reviewer" },
  { email: "user@example.com", name: "Ada Customer", role: "user" },
  { email: "user2@example.com", name: "Grace Customer", role: "user" },
] as const;

const CUSTOMERS = [
  { id: "cus_ada", email: "user@example.com", name: "Ada Customer" },
  { id: "cus_grace", email: "user2@example.com", name: "Grace Customer" },
];

const ORDERS = [
  {
    id: 1042,
    customerId: "cus_ada",
    status: "delivered",
    totalCents: 8990,
    items: [{ sku: "LAMP-01", name: "Desk lamp", qty: 1, cents: 8990 }],
    daysAgo: 6,
  },
  {
    id: 1043,
    customerId: "cus_ada",
    status: "shipped",
    totalCents: 2450,
    items: [{ sku: "MUG-02", name: "Stoneware mug", qty: 2, cents: 1225 }],
    daysAgo: 2,
  },
  {
    id: 1044,
    customerId: "cus_ada",
    status: "delivered",
    totalCents: 15900,
    items: [{ sku: "CHAIR-07", name: "Oak chair", qty: 1, cents: 15900 }],
    daysAgo: 20,
  },
  {
    id: 1050,
    customerId: "cus_grace",
    status: "delivered",
    totalCents: 4200,
    items: [{ sku: "BOOK-11", name: "Cookbook", qty: 1, cents: 4200 }],
    daysAgo: 4,
  },
  {
    id: 1051,
    customerId: "cus_grace",
    status: "delivered",
    totalCents: 6300,
    items: [{ sku: "KETTLE-3", name: "Kettle", qty: 1, cents: 6300 }],
    daysAgo: 9,
  },
];

export async function seedDemoData(db: PrismaClient) {
  for (const account of DEMO_ACCOUNTS) {
    const exists = await db.user.findUnique({
      where: { email: account.email },
      select: { id: true },
    });
    if (!exists)
      await db.user.create({
        data: { ...account, passwordHash: await hashPassword(DEMO_PASSWORD) },
      });
  }
  for (const customer of CUSTOMERS) {
    await db.customer.upsert({ where: { id: customer.id }, update: {}, create: customer });
  }
  for (const { daysAgo, ...order } of ORDERS) {
    const placedAt = new Date(Date.now() - daysAgo * 86_400_000);
    await db.order.upsert({
      where: { id: order.id },
      update: { placedAt },
      create: { ...order, placedAt },
    });
    await db.payment.upsert({
      where: { id: `pay_${order.id}` },
      update: { createdAt: placedAt },
      create: {
        id: `pay_${order.id}`,
        orderId: order.id,
        amountCents: order.totalCents,
        method: "card",
        status: "captured",
        createdAt: placedAt,
      },
    });
  }
  // The agents' own demo services (the carrier's parcels, re-dated from today): agents/<name>/seed.sql.
  await seedAgents((sql) => db.$executeRawUnsafe(sql));
}

export function clientFor(url: string) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}
