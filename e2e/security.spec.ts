import { expect, test, type Page } from "@playwright/test";
import { withDatabase } from "./database";
import { askInChat, openInboxItem, parkedMessage, personaPage, signIn } from "./helpers";

// The app under its security headers, in a real browser: no page trips the Content Security
// Policy, nothing can frame the approval page, and the edge answers 4xx (never 500) to what
// Next.js would otherwise fail on. Order 3001 (Ada, user@) is created here for this spec alone.
const ORDER = 3001;

/** Collects every CSP violation the page reports, from the DOM event and from the console. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  page.on("console", (message) => {
    if (
      message.type() === "error" &&
      /Content Security Policy|CSP violation|Permissions-Policy/i.test(message.text())
    )
      violations.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => violations.push(`${page.url()}: ${error.message}`));
  return violations;
}

async function visit(page: Page, path: string, ready: RegExp | string) {
  const response = await page.goto(path);
  expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
  await expect(page.getByRole("heading", { name: ready }).first()).toBeVisible();
}

test.beforeAll(async () => {
  await withDatabase(async (client) => {
    await client.query(
      `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
       values ($1, 'cus_ada', 'delivered', 'EUR', 3100, $2, now()) on conflict (id) do nothing`,
      [ORDER, JSON.stringify([{ sku: "PLANT-9", name: "Fern", qty: 1, cents: 3100 }])],
    );
    await client.query(
      `insert into shop_payments (id, order_id, amount_cents, method, status) values ($1, $2, 3100, 'card', 'captured') on conflict (id) do nothing`,
      [`pay_${ORDER}`, ORDER],
    );
  });
});

test("every main page works under the CSP with no violation, and hydrates", async ({ browser }) => {
  test.setTimeout(180_000); // four personas, a dozen pages, on a shared two-core machine
  const anonymous = await browser.newPage();
  const anonymousViolations = await watchCsp(anonymous);
  await visit(anonymous, "/signin", "Countersign");
  await expect(anonymous.getByRole("button", { name: "Sign in" })).toBeEnabled(); // hydrated: its scripts ran
  await anonymous.goto("/no-such-page");
  await expect(anonymous.getByRole("heading", { name: "Page not found" })).toBeVisible();

  const customer = await browser.newContext().then((c) => c.newPage());
  const customerViolations = await watchCsp(customer);
  await signIn(customer, "user@example.com");
  await expect(customer).toHaveURL(/\/chat$/);
  await askInChat(customer, `Order ${ORDER} arrived broken, I want my money back`);
  await expect(parkedMessage(customer, ORDER)).toBeVisible();

  const reviewer = await browser.newContext().then((c) => c.newPage());
  const reviewerViolations = await watchCsp(reviewer);
  await signIn(reviewer, "reviewer@example.com");
  await expect(reviewer).toHaveURL(/\/inbox(\?item=[0-9a-f-]{36})?$/);
  await openInboxItem(reviewer, ORDER);
  await expect(reviewer.getByRole("button", { name: "Approve" })).toBeEnabled();
  await visit(reviewer, "/follow-ups", /Follow-ups/);
  await visit(reviewer, "/runs", "Runs");
  await visit(reviewer, "/account/tokens", /token/i);

  const admin = await browser.newContext().then((c) => c.newPage());
  const adminViolations = await watchCsp(admin);
  await signIn(admin, "admin@example.com");
  await expect(admin).toHaveURL(/\/admin$/);
  await visit(admin, "/admin/agents", /Agents/);
  await visit(admin, "/admin/audit", "Audit trail");
  await visit(admin, "/admin/shop", /shop/i);

  expect([
    ...anonymousViolations,
    ...customerViolations,
    ...reviewerViolations,
    ...adminViolations,
  ]).toEqual([]);
});

test("the approval page cannot be framed by another site", async ({ browser }) => {
  const reviewer = await personaPage(browser, "reviewer@example.com");
  await openInboxItem(reviewer, ORDER);
  const approvalUrl = reviewer.url();
  const response = await reviewer.request.get(approvalUrl);
  expect(response.headers()["x-frame-options"]).toBe("DENY");
  expect(response.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");

  // Another site's page, served by the browser's own routing, frames the approval page. (The
  // SameSite=Lax session cookie would not reach a cross-site frame anyway; the header stops the
  // page from rendering there at all, signed in or not.)
  await reviewer.route("http://evil.test/**", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<h1>Win a prize</h1><iframe name="victim" src="${approvalUrl}"></iframe>`,
    }),
  );
  await reviewer.goto("http://evil.test/prize");
  await expect(reviewer.getByRole("heading", { name: "Win a prize" })).toBeVisible();
  const framed = reviewer.frame({ name: "victim" })!;
  // Chromium replaces a frame refused by frame-ancestors with its own error page.
  await expect.poll(() => framed.url()).toMatch(/^chrome-error:/);
  expect(await framed.locator("main, form, button").count()).toBe(0);

  // Control: the same page with those two headers stripped from every response of the app (it
  // redirects this cookieless frame to sign-in) does render in the frame, so the check above can fail.
  const control = await browser.newPage();
  await control.route(`${new URL(approvalUrl).origin}/**`, async (route) => {
    const original = await route.fetch();
    const headers = Object.fromEntries(
      Object.entries(original.headers()).filter(
        ([name]) => name !== "x-frame-options" && name !== "content-security-policy",
      ),
    );
    await route.fulfill({ response: original, headers });
  });
  await control.route("http://evil.test/**", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<iframe name="victim" src="${approvalUrl}"></iframe>`,
    }),
  );
  await control.goto("http://evil.test/prize");
  await expect(control.frame({ name: "victim" })!.locator("main").first()).toBeVisible();
});

test("the edge answers 4xx, never 500: cross-site actions, oversized actions, malformed paths", async ({
  browser,
}) => {
  const customer = await personaPage(browser, "user2@example.com");
  // Capture the exact server action the Send button posts, without sending it.
  const captured = new Promise<{ url: string; headers: Record<string, string> }>((resolve) => {
    void customer.route("**/chat", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      resolve({ url: route.request().url(), headers: route.request().headers() });
      await route.abort();
    });
  });
  await askInChat(customer, "This message is never sent");
  const action = await captured;
  await customer.unroute("**/chat");
  const headers = {
    "next-action": action.headers["next-action"]!,
    "content-type": "text/plain;charset=UTF-8",
    accept: "text/x-component",
  };
  const before = (await (await customer.request.get("/api/chat")).json()).messages.length;

  const forged = await customer.request.post(action.url, {
    headers: { ...headers, origin: "https://evil.example" },
    data: JSON.stringify([{ text: "sent from another site" }]),
  });
  expect(forged.status()).toBe(403);
  const huge = await customer.request.post(action.url, {
    headers,
    data: JSON.stringify([{ text: "x".repeat(1_100_000) }]),
  });
  expect(huge.status()).toBe(413);
  const nul = await customer.request.post(action.url, {
    headers,
    data: JSON.stringify([{ text: "hello\u0000there" }]),
  });
  expect(nul.status()).toBe(200);
  expect(await nul.text()).toMatch(/contains a NUL character/);
  expect((await (await customer.request.get("/api/chat")).json()).messages.length).toBe(before);

  for (const path of ["/inbox/%E0%A4%A", "/api/v1/approvals/%zz"]) {
    const response = await customer.request.get(path);
    expect(response.status(), path).toBe(400);
    expect(response.headers()["x-frame-options"]).toBe("DENY");
  }
  const health = await customer.request.get("/api/health");
  expect(health.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(health.headers()["strict-transport-security"]).toBeUndefined(); // served over plain http here
  const claim = await customer.request.post(
    "/api/approvals/00000000-0000-4000-8000-000000000000/claim",
    { headers: { origin: "https://evil.example" } },
  );
  expect(claim.status()).toBe(403);
});
