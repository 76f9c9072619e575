import { expect, test } from "@playwright/test";
import { withDatabase } from "./database";
import { askInChat, parkedMessage, personaPage } from "./helpers";

// Shadow mode on a live demo chat: the admin puts a candidate of the refunds agent in shadow on
// every run; a customer asks for a refund; the shadow run exists, the shop's effect tables do
// not move because of it, the customer sees only the live answer, and /evals/shadow lists the
// differences for a reviewer.

const ORDER = 731_204;

test("a candidate in shadow beside a live chat: nothing reaches the shop or the customer, the differences are listed", async ({
  browser,
}) => {
  // The candidate asks a person before even looking an order up; the active version stays as it is.
  const candidate = await withDatabase(async (db) => {
    await db.query(
      `insert into shop_orders (id, customer_id, status, total_cents, items, placed_at) values ($1, 'cus_grace', 'delivered', 4400, '[{"sku":"VASE-09","qty":1,"cents":4400}]', now()) on conflict do nothing`,
      [ORDER],
    );
    const { rows } = await db.query<{ max: number }>(
      `select coalesce(max(version), 0)::int as max from agent_configs where agent = 'refunds'`,
    );
    const active = rows[0]!.max;
    await db.query(
      `insert into agent_active_settings (agent, version) values ('refunds', $1) on conflict (agent) do nothing`,
      [active],
    );
    const policies = {
      lookup_order: "require_approval",
      list_refunds: "auto",
      add_order_note: "auto",
      issue_refund: "require_approval",
    };
    await db.query(
      `insert into agent_configs (id, agent, version, settings, reason) values (gen_random_uuid(), 'refunds', $1, $2, 'Ask before every lookup (shadow candidate)')`,
      [active + 1, JSON.stringify({ toolPolicies: policies })],
    );
    return active + 1;
  });

  const admin = await personaPage(browser, "admin@example.com");
  await admin.goto("/evals/shadow");
  await admin.getByLabel("Candidate version").selectOption(`refunds:${candidate}`);
  await admin.getByLabel("Sampling rate (%)").fill("100");
  await admin.getByRole("button", { name: "Put in shadow" }).click();
  await expect(admin.getByRole("status")).toContainText("Shadow mode is on.");
  await expect(
    admin.getByText(`refunds: settings v${candidate} in shadow on 100% of live runs`),
  ).toBeVisible();

  const effectsBefore = await withDatabase(
    async (db) =>
      (
        await db.query(
          `select (select count(*) from shop_refunds)::int as refunds, (select count(*) from shop_outbound_emails)::int as emails`,
        )
      ).rows[0],
  );

  const customer = await personaPage(browser, "user2@example.com");
  await askInChat(customer, `Order ${ORDER} arrived broken, please refund it`);
  await expect(parkedMessage(customer, ORDER)).toBeVisible({ timeout: 30_000 });

  // The shadow run exists for the sampled live run and finishes on its own.
  const shadow = await expect
    .poll(
      () =>
        withDatabase(async (db) => {
          const { rows } = await db.query<{ status: string; mode: string }>(
            `select r.status, r.mode from scratch_runs s join runs r on r.id = s.run_id join runs l on l.id = s.source_run_id where s.kind = 'shadow' and l.request like $1`,
            [`%${ORDER}%`],
          );
          return rows[0] ? `${rows[0].mode}:${rows[0].status}` : "none";
        }),
      { timeout: 30_000 },
    )
    .toMatch(/^shadow:(completed|terminated|failed)$/);
  void shadow;

  // Nothing in the shop moved (the live refund waits for a reviewer; the shadow never writes).
  const effectsAfter = await withDatabase(
    async (db) =>
      (
        await db.query(
          `select (select count(*) from shop_refunds)::int as refunds, (select count(*) from shop_outbound_emails)::int as emails`,
        )
      ).rows[0],
  );
  expect(effectsAfter).toEqual(effectsBefore);
  // The customer sees the live answer only: the shadow's "couldn't find" never reaches the thread.
  await customer.reload();
  await expect(parkedMessage(customer, ORDER)).toBeVisible();
  await expect(customer.getByText(new RegExp(`couldn't find order ${ORDER}`))).toHaveCount(0);

  const reviewer = await personaPage(browser, "reviewer@example.com");
  await reviewer.goto("/evals/shadow");
  const row = reviewer.getByRole("row", { name: new RegExp(`Order ${ORDER} arrived broken`) });
  await expect(row).toContainText(`vs shadow v${candidate}`);
  await expect(row).toContainText(`live: issue_refund(`);
  await expect(row).toContainText("shadow: none");
  await expect(row).toContainText("differs");

  // Put things back for other specs: the shadow off.
  await admin.reload();
  await admin.getByRole("button", { name: "Stop shadow for refunds" }).click();
  await expect(admin.getByRole("status")).toContainText("Shadow mode is off.");
});
