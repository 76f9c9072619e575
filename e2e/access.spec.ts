import { expect, test } from "@playwright/test";
import { askInChat, openInboxItem, parkedMessage, personaPage, signIn } from "./helpers";

const ACCOUNTS = [
  ["admin@example.com", /\/admin$/],
  ["reviewer@example.com", /\/inbox(\?item=[0-9a-f-]{36})?$/],
  ["reviewer2@example.com", /\/inbox(\?item=[0-9a-f-]{36})?$/],
  ["user@example.com", /\/chat$/],
  ["user2@example.com", /\/chat$/],
] as const;

for (const [email, home] of ACCOUNTS) {
  test(`${email} signs in and lands on their surface`, async ({ page }) => {
    await signIn(page, email);
    await expect(page).toHaveURL(home);
    await expect(page.getByRole("banner").getByText(email)).toBeVisible();
  });
}

test("a wrong password is refused clearly", async ({ page }) => {
  await signIn(page, "reviewer@example.com", "not-the-password");
  await expect(page.getByText(/Email or password is incorrect/)).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/inbox");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Finbox/);
});

test("a reviewer opening /admin is refused", async ({ browser }) => {
  const reviewer = await personaPage(browser, "reviewer@example.com");
  await reviewer.goto("/admin");
  await expect(reviewer.getByRole("heading", { name: "Access denied" })).toBeVisible();
  await expect(reviewer.getByRole("button", { name: /Deactivate/ })).toHaveCount(0);
});

test("a malformed chat message is refused and nothing is sent", async ({ browser }) => {
  const customer = await personaPage(browser, "user2@example.com");
  await askInChat(customer, "   ");
  await expect(customer.getByText("Write a message first")).toBeVisible();
  const response = await customer.request.get("/api/chat");
  expect((await response.json()).messages).toHaveLength(0);
});

test("a message typed while the page is still loading is kept and sent", async ({ browser }) => {
  const customer = await personaPage(browser, "user2@example.com");
  // Hold the page's scripts back, so typing happens before React has hydrated the chat.
  await customer.route("**/_next/static/chunks/**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await customer.goto("/chat", { waitUntil: "commit" });
  await customer.getByLabel("Message").fill("How long does delivery take?");
  await expect(customer.getByRole("button", { name: "Send" })).toBeDisabled();
  await customer.getByRole("button", { name: "Send" }).click();
  await expect(
    customer.getByRole("list", { name: "Conversation" }).getByText("How long does delivery take?"),
  ).toBeVisible({ timeout: 30_000 });
  await expect(customer.getByText(/Orders ship within 2 business days/)).toBeVisible({
    timeout: 30_000,
  });
});

test("an end user cannot approve, through the server action or the API", async ({ browser }) => {
  const customer = await personaPage(browser, "user2@example.com");
  await askInChat(customer, "Order 1050 arrived damaged, refund me please");
  await expect(parkedMessage(customer, 1050)).toBeVisible();

  // Capture the exact server-action request the reviewer's Approve button sends, without sending it.
  const reviewer = await personaPage(browser, "reviewer@example.com");
  await openInboxItem(reviewer, 1050);
  const captured = new Promise<{ url: string; headers: Record<string, string>; body: string }>(
    (resolve) => {
      void reviewer.route("**/inbox/**", async (route) => {
        const request = route.request();
        if (request.method() !== "POST") return route.continue();
        resolve({ url: request.url(), headers: request.headers(), body: request.postData() ?? "" });
        await route.abort();
      });
    },
  );
  await reviewer.getByRole("button", { name: "Approve" }).click();
  const action = await captured;
  const approvalId = action.url.split("/inbox/")[1]!;

  // Replayed with the customer's session: refused, nothing decided.
  const replay = await customer.request.post(action.url, {
    headers: {
      "next-action": action.headers["next-action"]!,
      "content-type": action.headers["content-type"]!,
      accept: "text/x-component",
    },
    data: action.body,
  });
  expect(await replay.text()).toContain("does not have access");
  const api = await customer.request.post(`/api/v1/approvals/${approvalId}/decision`, {
    data: { decision: "approve" },
  });
  expect(api.status()).toBe(403);

  await reviewer.unroute("**/inbox/**");
  await reviewer.reload();
  await expect(reviewer.getByRole("button", { name: "Approve" })).toBeEnabled();
});

test("Approve from two tabs executes once; the second tab is told who decided", async ({
  browser,
}) => {
  const customer = await personaPage(browser, "user2@example.com");
  await askInChat(customer, "Order 1051 arrived broken, I want my money back");
  await expect(parkedMessage(customer, 1051)).toBeVisible();

  const first = await personaPage(browser, "reviewer@example.com");
  const second = await personaPage(browser, "reviewer2@example.com");
  await openInboxItem(first, 1051);
  await second.goto(first.url());
  const approve = (page: typeof first) => page.getByRole("button", { name: "Approve" });
  // Both tabs live (hydrated) before either clicks, so the two clicks truly race.
  await Promise.all([expect(approve(first)).toBeEnabled(), expect(approve(second)).toBeEnabled()]);
  await Promise.all([approve(first).click(), approve(second).click()]);
  const outcome = (page: typeof first) =>
    page
      .getByRole("region", { name: "Decision", exact: true })
      .getByText(
        /Approved\. The agent has been told|R(iley|obin) Reviewer approved it \d+ s ago; nothing else was decided\./,
      );
  await Promise.all([expect(outcome(first)).toBeVisible(), expect(outcome(second)).toBeVisible()]);
  const texts = await Promise.all([outcome(first).textContent(), outcome(second).textContent()]);
  expect(texts.filter((t) => t?.startsWith("Approved."))).toHaveLength(1);
  expect(
    texts.filter((t) => /^R(iley|obin) Reviewer approved it \d+ s ago/.test(t ?? "")),
  ).toHaveLength(1);

  await expect(customer.getByText(/€63\.00 has been refunded for order 1051/)).toBeVisible({
    timeout: 30_000,
  });
  await askInChat(customer, "What is the payment status of order 1051?");
  await expect(
    customer.getByText(/you paid €63\.00 and €63\.00 has been refunded so far/),
  ).toBeVisible({ timeout: 30_000 });
});

test("a deactivated account loses access on its next request", async ({ browser }) => {
  const customer = await personaPage(browser, "user2@example.com");
  const admin = await personaPage(browser, "admin@example.com");
  await admin.getByRole("button", { name: "Deactivate user2@example.com" }).click();
  await expect(admin.getByRole("button", { name: "Reactivate user2@example.com" })).toBeVisible();

  expect((await customer.request.get("/api/chat")).status()).toBe(401);
  await customer.reload();
  await expect(customer).toHaveURL(/\/signin/);
  await signIn(customer, "user2@example.com");
  await expect(
    customer.getByText(/Email or password is incorrect, or the account is deactivated/),
  ).toBeVisible();

  await admin.getByRole("button", { name: "Reactivate user2@example.com" }).click();
  await expect(admin.getByRole("button", { name: "Deactivate user2@example.com" })).toBeVisible();
});
