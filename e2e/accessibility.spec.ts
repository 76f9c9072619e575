import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { withDatabase } from "./database";
import { askInChat, parkedMessage, personaPage } from "./helpers";

// Every main page, as the persona who uses it: axe-core finds no serious or critical violation,
// and on a 390 px phone the page does not scroll sideways and "Sign out" stays on screen.
// Order 2090 is this spec's own (written before the tests), so the packet page has an item.
const ORDER = 2090;
type Persona = "user@example.com" | "reviewer@example.com" | "admin@example.com" | null;

const PAGES: { path: string; persona: Persona }[] = [
  { path: "/chat", persona: "user@example.com" },
  { path: "/account", persona: "user@example.com" },
  { path: "/inbox", persona: "reviewer@example.com" },
  { path: "packet", persona: "reviewer@example.com" },
  { path: "/follow-ups", persona: "reviewer@example.com" },
  { path: "/runs", persona: "reviewer@example.com" },
  { path: "run", persona: "reviewer@example.com" },
  { path: "/ops", persona: "reviewer@example.com" },
  { path: "/evals", persona: "reviewer@example.com" },
  { path: "/account/tokens", persona: "reviewer@example.com" },
  { path: "/admin", persona: "admin@example.com" },
  { path: "/admin/policy", persona: "admin@example.com" },
  { path: "/admin/teams", persona: "admin@example.com" },
  { path: "/signin", persona: null },
];

const PHONE = { width: 390, height: 844 };
const sessions = new Map<Persona, Page>();
// The item's own pages, found once the customer's request is waiting.
const found: Record<string, string> = {};

async function session(browser: Browser, persona: Persona): Promise<Page> {
  let page = sessions.get(persona);
  if (!page) {
    page = persona
      ? await personaPage(browser, persona)
      : await (await browser.newContext()).newPage();
    sessions.set(persona, page);
  }
  return page;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  await withDatabase(async (client) => {
    await client.query(
      `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
       values ($1, 'cus_ada', 'delivered', 'EUR', 3100, $2, now() - interval '3 days') on conflict (id) do nothing`,
      [ORDER, JSON.stringify([{ sku: `E2E-${ORDER}`, name: "Test item", qty: 1, cents: 3100 }])],
    );
    await client.query(
      `insert into shop_payments (id, order_id, amount_cents, method, status, created_at)
       values ($1, $2, 3100, 'card', 'captured', now() - interval '3 days') on conflict (id) do nothing`,
      [`pay_${ORDER}`, ORDER],
    );
  });
  // A worker restarted after a failure runs this again: the request is made once.
  const reviewer = await session(browser, "reviewer@example.com");
  await reviewer.goto("/inbox");
  await reviewer.waitForLoadState("networkidle");
  const row = reviewer.getByRole("row", { name: new RegExp(`order ${ORDER}\\b`) }).first();
  if (!(await row.isVisible())) {
    const customer = await session(browser, "user@example.com");
    await customer.goto("/chat");
    await askInChat(customer, `Order ${ORDER} arrived broken, I want my money back`);
    await expect(parkedMessage(customer, ORDER)).toBeVisible({ timeout: 60_000 });
    await reviewer.goto("/inbox");
  }
  const item = row.getByRole("link", { name: new RegExp(`order ${ORDER}\\b`) });
  found.packet = (await item.getAttribute("href"))!.replace(/\?.*$/, "");
  expect(found.packet).toMatch(/^\/inbox\/[0-9a-f-]{36}$/);
  await reviewer.goto("/runs");
  found.run = (await reviewer.locator('a[href^="/runs/"]').first().getAttribute("href"))!;
  expect(found.run).toMatch(/^\/runs\/[0-9a-f-]{36}$/);
});

test.afterAll(async () => {
  for (const page of sessions.values()) await page.context().close();
});

for (const { path, persona } of PAGES) {
  test(`${path} as ${persona ?? "nobody"}: no serious or critical axe violation, and no sideways scroll at 390 px`, async ({
    browser,
  }) => {
    const page = await session(browser, persona);
    const url = found[path] ?? path;

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url);
    await page.waitForLoadState("networkidle");
    const { violations } = await new AxeBuilder({ page }).analyze();
    const byImpact: Record<string, number> = {};
    for (const v of violations)
      byImpact[v.impact ?? "unknown"] = (byImpact[v.impact ?? "unknown"] ?? 0) + 1;
    console.log(
      `axe ${url}: ${JSON.stringify(byImpact)} ${violations.map((v) => `${v.id}(${v.impact})`).join(" ")}`,
    );
    const blocking = violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
      );
    expect(blocking).toEqual([]);

    await page.setViewportSize(PHONE);
    await page.goto(url);
    await page.waitForLoadState("networkidle");
    const { scrollWidth, clientWidth, widest } = await page.evaluate(() => {
      const { scrollWidth, clientWidth } = document.documentElement;
      // What sticks out, innermost first, so a failure names the culprit.
      const widest = [...document.body.querySelectorAll("*")]
        .filter(
          (e) =>
            e.getBoundingClientRect().right > clientWidth + 1 &&
            ![...e.children].some((c) => c.getBoundingClientRect().right > clientWidth + 1),
        )
        .slice(0, 5)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} (${Math.round(e.getBoundingClientRect().right)} px)`,
        );
      return { scrollWidth, clientWidth, widest };
    });
    expect(
      scrollWidth,
      `${url} at 390 px is ${scrollWidth} px wide: ${widest.join(", ")}`,
    ).toBeLessThanOrEqual(clientWidth);
    if (persona) await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
    if (path === "packet") {
      // On a phone the Decision panel comes before the long trace, near the top of the page.
      const decision = (await page
        .getByRole("region", { name: "Decision", exact: true })
        .boundingBox())!;
      const trace = (await page.getByRole("heading", { name: "Trace" }).boundingBox())!;
      expect(decision.y).toBeLessThan(trace.y);
      await expect(page.getByRole("region", { name: "Decision", exact: true })).toBeInViewport();
    }
  });
}
