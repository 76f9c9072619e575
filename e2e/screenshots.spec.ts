import { expect, test } from "@playwright/test";
import { withDatabase } from "./database";
import { askInChat, parkedMessage, personaPage } from "./helpers";

// The README's pictures (docs/screens/), at a desktop and a phone width. Skipped unless
// SCREENSHOTS=1, so the browser suite writes no files:
//   SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts
test.skip(process.env.SCREENSHOTS !== "1", "writes docs/screens/ only when SCREENSHOTS=1");

const ORDER = 2091;
const WIDTHS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
];

test("inbox, packet, chat and /ops at 1280 and 390 px", async ({ browser }) => {
  test.setTimeout(180_000);
  await withDatabase(async (client) => {
    await client.query(
      `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
       values ($1, 'cus_ada', 'delivered', 'EUR', 4900, $2, now() - interval '2 days') on conflict (id) do nothing`,
      [ORDER, JSON.stringify([{ sku: "LAMP-02", name: "Floor lamp", qty: 1, cents: 4900 }])],
    );
    await client.query(
      `insert into shop_payments (id, order_id, amount_cents, method, status, created_at)
       values ($1, $2, 4900, 'card', 'captured', now() - interval '2 days') on conflict (id) do nothing`,
      [`pay_${ORDER}`, ORDER],
    );
  });
  const customer = await personaPage(browser, "user@example.com");
  await customer.goto("/chat");
  await askInChat(customer, `Order ${ORDER} arrived broken, I want my money back`);
  await expect(parkedMessage(customer, ORDER)).toBeVisible({ timeout: 60_000 });

  const reviewer = await personaPage(browser, "reviewer@example.com");
  await reviewer.goto("/inbox");
  const row = reviewer.getByRole("row", { name: new RegExp(`order ${ORDER}\\b`) }).first();
  const packet = (await row
    .getByRole("link", { name: new RegExp(`order ${ORDER}\\b`) })
    .getAttribute("href"))!.replace(/\?.*$/, "");
  const itemId = packet.split("/").pop();

  const shots = [
    { file: "inbox", page: reviewer, url: `/inbox?item=${itemId}` },
    { file: "packet", page: reviewer, url: packet },
    { file: "chat", page: customer, url: "/chat" },
    { file: "ops", page: reviewer, url: "/ops" },
  ];
  for (const { name, width, height } of WIDTHS) {
    for (const shot of shots) {
      await shot.page.setViewportSize({ width, height });
      await shot.page.goto(shot.url);
      await shot.page.waitForLoadState("networkidle");
      await shot.page.screenshot({
        path: `docs/screens/${shot.file}-${name}.png`,
        fullPage: name === "phone",
      });
    }
  }
  await customer.context().close();
  await reviewer.context().close();
});
