// The demo's dates are relative to the day it starts: a database seeded weeks ago still shows
// order 1043's parcel on its way, due in two days, when the demo starts again today.
import { afterAll, describe, expect, it } from "vitest";
import { clientFor, seedDemoData } from "@/prisma/seed";

const client = clientFor(process.env.DATABASE_URL!);
afterAll(() => client.$disconnect());

const day = (inDays: number) =>
  new Date(Date.now() + inDays * 86_400_000).toISOString().slice(0, 10);

describe("demo data relative to today", () => {
  it("moves the seeded orders and parcels to the same distance from today at every start", async () => {
    await client.$executeRaw`update demo_carrier_shipments set delivery_date = '2020-01-03' where tracking_number = 'TRK-1043'`;
    await client.order.update({
      where: { id: 1043 },
      data: { placedAt: new Date("2020-01-01T00:00:00Z") },
    });
    await seedDemoData(client);
    const deliveryDay = async (tracking: string) =>
      (
        await client.$queryRaw<
          Array<{ day: string }>
        >`select delivery_date as day from demo_carrier_shipments where tracking_number = ${tracking}`
      )[0]?.day;
    expect(await deliveryDay("TRK-1043")).toBe(day(2));
    expect(await deliveryDay("TRK-1050")).toBe(day(-2));
    const placed = (
      await client.order.findUniqueOrThrow({ where: { id: 1043 } })
    ).placedAt.getTime();
    expect(Math.abs(placed - (Date.now() - 2 * 86_400_000))).toBeLessThan(60_000);
  });
});
