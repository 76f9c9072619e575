import { expect, test } from "@playwright/test";
import { formatDay } from "../lib/format";
import { withDatabase } from "./database";
import { askInChat, openInboxItem, parkedMessage, personaPage } from "./helpers";

// Order 1043 of user@example.com ships with the demo carrier as TRK-1043 (seed). The carrier is a
// real HTTP service of the app (/api/demo/carrier); the shipping agent's tools call it over HTTP.
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

test("a delivery change: looked up on its own, parked, approved, executed once over HTTP with its key, the customer told", async ({
  browser,
}) => {
  const newDay = day(3);
  const customer = await personaPage(browser, "user@example.com");
  await askInChat(
    customer,
    `Where is my parcel for order 1043? Please move the delivery to ${newDay}`,
  );
  await expect(parkedMessage(customer, 1043)).toBeVisible({ timeout: 30_000 });
  await expect(
    customer.getByText(
      new RegExp(`confirm moving the delivery of order 1043 to ${formatDay(newDay)}\\.`),
    ),
  ).toBeVisible();

  const reviewer = await personaPage(browser, "reviewer@example.com");
  const row = reviewer.getByRole("row", { name: /order 1043/ });
  await expect(row).toContainText("shipping");
  await expect(row).toContainText("reschedule_delivery");
  await expect(row).toContainText("irreversible");
  await openInboxItem(reviewer, 1043);
  const trace = reviewer.getByRole("list", { name: "Run trace" });
  // The read ran on its own, before anyone was asked.
  await expect(trace).toContainText("track_shipment · succeeded");
  await expect(trace).toContainText("delivery_query → shipping");
  await expect(reviewer.getByRole("button", { name: "Approve" })).toBeEnabled();
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByRole("status").first()).toContainText(/approved/i);

  await expect(
    customer.getByText(
      new RegExp(
        `^The carrier now plans to deliver order 1043 on ${formatDay(newDay)} \\(reference rs_`,
      ),
    ),
  ).toBeVisible({
    timeout: 30_000,
  });

  // Exactly once at the carrier, under the call's own idempotency key.
  await withDatabase(async (client) => {
    const { rows: calls } = await client.query<{
      idempotency_key: string;
      status: string;
      attempts: number;
    }>(
      `select idempotency_key, status, attempts from tool_calls where tool = 'reschedule_delivery' and arguments->>'date' = $1`,
      [newDay],
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ status: "succeeded", attempts: 1 });
    const key = calls[0]!.idempotency_key;
    const { rows: writes } = await client.query(
      `select delivery_date from demo_carrier_reschedules where idempotency_key = $1`,
      [key],
    );
    expect(writes).toEqual([{ delivery_date: newDay }]);
    const { rows: records } = await client.query(
      `select 1 from idempotency_records where scope = 'demo-carrier' and key = $1`,
      [key],
    );
    expect(records).toHaveLength(1);
    const { rows: shipment } = await client.query(
      `select delivery_date from demo_carrier_shipments where tracking_number = 'TRK-1043'`,
    );
    expect(shipment).toEqual([{ delivery_date: newDay }]);
  });
});
