import { expect, test } from "@playwright/test";
import { withDatabase } from "./database";
import { askInChat, parkedMessage, personaPage } from "./helpers";

// Order 2001 (Grace, user2@) is created here, in the app's database, for this spec alone.
const ORDER = 2001;
test("a parked call expires after its time to live: the reviewer sees Expired, the user an honest answer", async ({
  browser,
}) => {
  await withDatabase(async (client) => {
    await client.query(
      `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
       values ($1, 'cus_grace', 'delivered', 'EUR', 5400, $2, now()) on conflict (id) do nothing`,
      [ORDER, JSON.stringify([{ sku: "VASE-5", name: "Glass vase", qty: 1, cents: 5400 }])],
    );
    await client.query(
      `insert into shop_payments (id, order_id, amount_cents, method, status) values ($1, $2, 5400, 'card', 'captured') on conflict (id) do nothing`,
      [`pay_${ORDER}`, ORDER],
    );
  });

  const customer = await personaPage(browser, "user2@example.com");
  await askInChat(customer, `Order ${ORDER} arrived broken, I want my money back`);
  await expect(parkedMessage(customer, ORDER)).toBeVisible({ timeout: 30_000 });

  const approvalId = await withDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `select id from approvals where tool = 'issue_refund' and status = 'pending' and (proposed_arguments->>'order_id')::int = $1`,
      [ORDER],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.id;
  });

  const reviewer = await personaPage(browser, "reviewer@example.com");
  await reviewer.goto(`/inbox/${approvalId}`);
  // Live (hydrated) before the item's time runs out, so the click below is a real, late decision.
  await expect(reviewer.getByRole("button", { name: "Approve" })).toBeEnabled();

  // Its time to live runs out while the reviewer has it open (stored as UTC, like Prisma writes it).
  await withDatabase((client) =>
    client.query(
      `update approvals set expires_at = (now() at time zone 'utc') - interval '1 minute' where id = $1`,
      [approvalId],
    ),
  );
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(
    reviewer
      .getByRole("alert")
      .filter({ hasText: /This item expired 1 min ago; nothing was decided\./ }),
  ).toBeVisible();

  // The maintenance job (every ~10 s) expires it: the packet says so, and nothing is decided.
  await expect(async () => {
    await reviewer.reload();
    await expect(reviewer.getByText(/Expired/).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 40_000 });
  await expect(reviewer.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // The customer's open chat gets the honest answer without a reload.
  await expect(
    customer.getByText(
      `Nobody from our team could confirm a refund of €54.00 for order ${ORDER} in time, so nothing has been done. A member of our team will follow up here.`,
    ),
  ).toBeVisible({ timeout: 30_000 });

  // The reviewers' in-app notification of this item now reads as history, and can be marked read.
  const listed = await (await reviewer.request.get("/api/notifications")).json();
  const notification = listed.items.find(
    (n: { approvalId: string }) => n.approvalId === approvalId,
  );
  expect(notification).toMatchObject({ tool: "issue_refund", itemStatus: "expired", read: false });
  const marked = await reviewer.request.post("/api/notifications", {
    data: { ids: [notification.id] },
  });
  expect(await marked.json()).toEqual({ marked: 1 });
  expect(
    (await reviewer.request.post("/api/notifications", { form: { all: "true" } })).status(),
  ).toBe(400);

  // The expiry is on the audit trail, as the system's act, and the chain verifies.
  const admin = await personaPage(browser, "admin@example.com");
  await admin.goto("/admin/audit");
  await expect(admin.getByRole("status", { name: "Chain status" })).toContainText(
    /Chain verified up to #\d+/,
  );
  const entry = admin
    .getByRole("row")
    .filter({ hasText: "system" })
    .filter({ hasText: `order_id=${ORDER}` });
  await expect(entry).toContainText("expired");
  await expect(entry).toContainText("issue_refund");

  const refunds = await withDatabase((client) =>
    client.query(`select count(*)::int as n from shop_refunds where order_id = $1`, [ORDER]),
  );
  expect(refunds.rows[0]).toEqual({ n: 0 });
});
