import { expect, test } from "@playwright/test";
import { ALREADY_SEEDED_SQL, weekOfHistorySql } from "../prisma/seed-week";
import { withDatabase } from "./database";
import { personaPage } from "./helpers";

// /ops after the week of history the demo seeds on a fresh database (prisma/seed-week.ts). The
// browser specs start without it (playwright.config.ts), so this file seeds the same statements.
test.beforeAll(async () => {
  await withDatabase(async (client) => {
    const { rows } = await client.query<{ seeded: boolean }>(ALREADY_SEEDED_SQL);
    if (rows[0]?.seeded) return;
    await client.query("begin");
    for (const statement of weekOfHistorySql()) await client.query(statement);
    await client.query("commit");
  });
});

test("/ops shows the seeded week: charts with their figures, SLOs, the flagged reviewer and the light-policy candidates", async ({ browser }) => {
  const admin = await personaPage(browser, "admin@example.com");
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ops" }).click();
  await expect(admin.getByRole("heading", { name: "Operations" })).toBeVisible();
  await admin.getByLabel("Window").selectOption("week");
  await admin.getByRole("button", { name: "Show" }).click();
  await expect(admin).toHaveURL(/window=week/);

  // Charts drawn (uPlot canvases), each with the numbers beside it.
  const charts = admin.getByTestId("ops-chart");
  await expect(charts).toHaveCount(4);
  await expect(charts.first().locator("canvas")).toBeVisible();
  await expect(
    admin
      .getByRole("definition")
      .filter({ hasText: /^\$\d+\.\d{2}$/ })
      .first(),
  ).toBeVisible();
  await expect(admin.getByRole("table", { name: "Runs by duration" })).toBeVisible();
  await expect(admin.getByRole("table", { name: "Runs by agent and version" })).toContainText("refunds");
  await expect(admin.getByRole("listitem", { name: "SLO of refunds" })).toContainText("Error budget left");
  await expect(admin.getByRole("table", { name: "Approval outcomes" })).toContainText("refunds");
  await expect(admin.getByRole("link", { name: "Alerts" })).toHaveAttribute("href", "/ops/alerts");

  // The humans in the loop: Quinn approves nearly everything in seconds.
  await expect(admin.getByRole("row", { name: /quinn@example\.com/ })).toContainText("Possible rubber-stamping");
  await expect(admin.getByRole("row", { name: /^reviewer@example\.com/ })).not.toContainText("Possible rubber-stamping");
  const candidates = admin.getByRole("list", { name: "Candidates for a lighter policy" });
  await expect(candidates.getByRole("listitem").filter({ hasText: "add_order_note" })).toContainText("Consider a lighter policy");
  await expect(candidates.getByRole("listitem").filter({ hasText: "send_password_reset" })).toContainText("stays gated");

  // Drilling into the cost spike lists the runs behind it.
  await admin.getByRole("definition").filter({ hasText: / at / }).getByRole("link").first().click();
  await expect(admin).toHaveURL(/\/runs\?.*from=.*to=.*costAbove=0/);
  await expect(admin.getByRole("table", { name: "Runs" })).toContainText("Refunds request");
  const costs = await admin.getByRole("table", { name: "Runs" }).locator("tbody tr td:nth-child(8)").allTextContents();
  expect(costs.length).toBeGreaterThan(0);
  expect(Math.max(...costs.map((c) => Number(c.replace("$", ""))))).toBeGreaterThan(0.1);
  // The filter form shows what the drill-down chose.
  await expect(admin.getByLabel("Cost above ($)")).toHaveValue("0");
});

test("a customer cannot open /ops", async ({ browser }) => {
  const customer = await personaPage(browser, "user2@example.com");
  await customer.goto("/ops");
  await expect(customer.getByText(/cannot open the operations dashboard/)).toBeVisible();
});
