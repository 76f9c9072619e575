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

test("/ops shows the seeded week: charts with their figures, SLOs, the flagged reviewer and the light-policy candidates", async ({
  browser,
}) => {
  // It reads a week of history and several pages of charts: a busy CI machine needs more than 60 s.
  test.setTimeout(180_000);
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
  await expect(admin.getByRole("table", { name: "Runs by agent and version" })).toContainText(
    "refunds",
  );
  await expect(admin.getByRole("listitem", { name: "SLO of refunds" })).toContainText(
    "Error budget left",
  );

  // The right axis of "Runs and failures" covers the failures drawn: whole ticks from 0 to at
  // least the worst bucket (it read "1, 1, 0" while failures reached 13).
  const worst = await admin.getByRole("link", { name: / failing at / }).textContent();
  const peakFailures = Number(/^([\d,]+) failing/.exec(worst ?? "")![1]!.replace(/,/g, ""));
  expect(peakFailures).toBeGreaterThan(1);
  const runsChart = admin.getByRole("img", { name: /^Runs and failures over time/ });
  const ticks = JSON.parse((await runsChart.getAttribute("data-axis-ticks")) ?? "{}") as Record<
    string,
    number[]
  >;
  const failureTicks = ticks["Failed or terminated"]!;
  expect(failureTicks[0]).toBe(0);
  expect(
    failureTicks.every((t, i) => Number.isInteger(t) && (i === 0 || t > failureTicks[i - 1]!)),
  ).toBe(true);
  expect(failureTicks.at(-1)!).toBeGreaterThanOrEqual(peakFailures);
  expect(failureTicks.at(-1)!).toBeLessThan(peakFailures * 2 + 2);
  expect(ticks["Runs"]!.at(-1)!).toBeGreaterThanOrEqual(peakFailures);

  // The SLO cards: refunds ask a reviewer by design, so their default SLO does not ask "without a
  // human" nor count the reviewer's wait, and on the seeded week it is met with budget to spare.
  const refundsSlo = admin.getByRole("listitem", { name: "SLO of refunds" });
  await expect(refundsSlo).toContainText("of the agent's own time");
  await expect(refundsSlo).not.toContainText("without a human");
  await expect(refundsSlo).toHaveClass(/border-emerald-300/);
  const budget = await refundsSlo.getByRole("definition").nth(1).textContent();
  expect(Number(budget!.replace("%", ""))).toBeGreaterThan(0);
  for (const agent of ["accounts", "support", "shipping"]) {
    await expect(admin.getByRole("listitem", { name: `SLO of ${agent}` })).not.toContainText(
      "without a human",
    );
  }

  // Nothing sticks out of the page at 1280 px: a wide table scrolls inside its own box.
  const pageOverflow = () =>
    admin.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
  expect(await pageOverflow()).toBeLessThanOrEqual(0);
  // Nor is any column hidden: the table fits its box (it was 1,458 px in a 1,102 px box).
  const tableOverflow = (name: string) =>
    admin
      .getByRole("table", { name })
      .evaluate((t) => t.scrollWidth - t.parentElement!.clientWidth);
  expect(await tableOverflow("Runs by agent and version")).toBeLessThanOrEqual(0);
  await expect(admin.getByRole("table", { name: "Approval outcomes" })).toContainText("refunds");
  await expect(admin.getByRole("link", { name: "Alerts" })).toHaveAttribute("href", "/ops/alerts");

  // The humans in the loop: Quinn approves nearly everything in seconds.
  await expect(admin.getByRole("row", { name: /quinn@example\.com/ })).toContainText(
    "Possible rubber-stamping",
  );
  await expect(admin.getByRole("row", { name: /^reviewer@example\.com/ })).not.toContainText(
    "Possible rubber-stamping",
  );
  const candidates = admin.getByRole("list", { name: "Candidates for a lighter policy" });
  await expect(
    candidates.getByRole("listitem").filter({ hasText: "add_order_note" }),
  ).toContainText("Consider a lighter policy");
  await expect(
    candidates.getByRole("listitem").filter({ hasText: "send_password_reset" }),
  ).toContainText("stays gated");

  // Drilling into the cost spike lists the runs behind it.
  await admin.getByRole("definition").filter({ hasText: / at / }).getByRole("link").first().click();
  await expect(admin).toHaveURL(/\/runs\?.*from=.*to=.*costAbove=0/);
  await expect(admin.getByRole("table", { name: "Runs" })).toContainText("Refunds request");
  const costs = await admin
    .getByRole("table", { name: "Runs" })
    .locator("tbody tr td:nth-child(8)")
    .allTextContents();
  expect(costs.length).toBeGreaterThan(0);
  expect(Math.max(...costs.map((c) => Number(c.replace("$", ""))))).toBeGreaterThan(0.1);
  // The filter form shows what the drill-down chose.
  await expect(admin.getByLabel("Cost above ($)")).toHaveValue("0");
  expect(await pageOverflow()).toBeLessThanOrEqual(0);
  expect(await tableOverflow("Runs")).toBeLessThanOrEqual(0);
  // Times in the product's one format.
  await expect(
    admin.getByRole("table", { name: "Runs" }).locator("tbody tr time").first(),
  ).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2} UTC$/);
});

test("a customer cannot open /ops", async ({ browser }) => {
  const customer = await personaPage(browser, "user2@example.com");
  await customer.goto("/ops");
  await expect(customer.getByText(/cannot open the operations dashboard/)).toBeVisible();
});
