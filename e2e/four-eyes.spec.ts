import { expect, test, type Page } from "@playwright/test";
import { withDatabase } from "./database";
import { askInChat, openInboxItem, parkedMessage, personaPage } from "./helpers";

// Four-eyes in the browser: under "Refunds over €100 need two people" (saved here as the policy in
// force), a €150 refund waits for two reviewers and runs once after the second; the first cannot
// approve twice; a rejection by either ends it; the packet names the rule and its version.

const RULE_NAME = "Refunds over €100 need two people";

test.beforeAll(async () => {
  await withDatabase(async (client) => {
    const document = {
      rules: [
        {
          id: "two-above-100",
          name: RULE_NAME,
          enabled: true,
          tools: ["issue_refund"],
          when: [{ argument: "amount_cents", op: "gt", value: 10000 }],
          effect: { approvals: 2 },
        },
      ],
    };
    await client.query(
      `insert into policy_versions (version, document, reason, created_by_email)
       select coalesce(max(version), 0) + 1, $1::jsonb, 'four-eyes spec', 'admin@example.com' from policy_versions`,
      [JSON.stringify(document)],
    );
  });
});

test.afterAll(async () => {
  // Later specs start from no rules again.
  await withDatabase((client) =>
    client.query(
      `insert into policy_versions (version, document, reason, created_by_email)
       select max(version) + 1, '{"rules":[]}'::jsonb, 'four-eyes spec done', 'admin@example.com' from policy_versions`,
    ),
  );
});

async function orderOf150(): Promise<number> {
  return withDatabase(async (client) => {
    for (;;) {
      const id = 700_000 + Math.floor(Math.random() * 99_999);
      const inserted = await client.query(
        `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
         values ($1, 'cus_grace', 'delivered', 'EUR', 15000, '[{"sku":"E2E","qty":1,"cents":15000}]', now()) on conflict do nothing`,
        [id],
      );
      if (inserted.rowCount === 1) return id;
    }
  });
}

async function approve(reviewer: Page) {
  await reviewer.getByRole("button", { name: "Approve", exact: true }).click();
}

test("a €150 refund waits for two reviewers, the first cannot approve twice, and it runs once after the second", async ({
  browser,
}) => {
  const order = await orderOf150();
  const customer = await personaPage(browser, "user2@example.com");
  await askInChat(customer, `Order ${order} arrived broken, I want my money back`);
  await expect(parkedMessage(customer, order)).toBeVisible();

  const first = await personaPage(browser, "reviewer@example.com");
  await openInboxItem(first, order);
  const policy = first.getByRole("region", { name: "What the policy asks" });
  await expect(policy).toContainText(`Rule ‘${RULE_NAME}’ (policy v`);
  await expect(policy).toContainText("amount_cents 15000 > 10000");
  await expect(policy).toContainText("0 of 2 approvals");
  await approve(first);
  await expect(
    first.getByRole("status").filter({ hasText: "Your approval is counted (1 of 2)" }),
  ).toBeVisible();
  await expect(policy).toContainText("1 of 2 approvals · given by reviewer@example.com");

  await approve(first);
  await expect(
    first.getByRole("alert").filter({ hasText: "You have already approved this (1 of 2)" }),
  ).toBeVisible();

  const second = await personaPage(browser, "reviewer2@example.com");
  await openInboxItem(second, order);
  await expect(second.getByRole("region", { name: "What the policy asks" })).toContainText(
    "1 of 2 approvals · given by reviewer@example.com",
  );
  await approve(second);
  await expect(second.getByRole("status").first()).toContainText(/approved/i);

  await expect(
    customer.getByText(new RegExp(`€150\\.00 has been refunded for order ${order}`)),
  ).toBeVisible({ timeout: 30_000 });
  const refunds = await withDatabase((client) =>
    client.query(`select count(*)::int as n from shop_refunds where order_id = $1`, [order]),
  );
  expect(refunds.rows[0].n).toBe(1);
});

test("a rejection by either reviewer ends it: nothing is refunded", async ({ browser }) => {
  const order = await orderOf150();
  const customer = await personaPage(browser, "user2@example.com");
  await askInChat(customer, `Order ${order} arrived broken, I want my money back`);
  await expect(parkedMessage(customer, order)).toBeVisible();

  const first = await personaPage(browser, "reviewer@example.com");
  await openInboxItem(first, order);
  await approve(first);
  await expect(
    first.getByRole("status").filter({ hasText: "Your approval is counted (1 of 2)" }),
  ).toBeVisible();

  const second = await personaPage(browser, "reviewer2@example.com");
  await openInboxItem(second, order);
  await second.getByRole("button", { name: "Reject" }).click();
  await second.getByLabel("Reason").fill("The photos show it intact");
  await second.getByRole("button", { name: "Confirm rejection" }).click();
  await expect(second.getByRole("status").first()).toContainText(/rejected/i);
  await expect(
    customer.getByText(/Their reason: “The photos show it intact”. Nothing has been done\./),
  ).toBeVisible({ timeout: 30_000 });
  const refunds = await withDatabase((client) =>
    client.query(`select count(*)::int as n from shop_refunds where order_id = $1`, [order]),
  );
  expect(refunds.rows[0].n).toBe(0);
});
