import { expect, test } from "@playwright/test";
import { withDatabase } from "./database";
import { PASSWORD, personaPage, signIn } from "./helpers";

test("a crafted callbackUrl cannot send a signed-in user to another site", async ({
  page,
  baseURL,
}) => {
  for (const callbackUrl of ["/..//evil.example", "/%2e%2e//evil.example", "/a/..//evil.example"]) {
    await page.context().clearCookies();
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel("Email").fill("reviewer@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/inbox(\?item=[0-9a-f-]{36})?$/);
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  }
});

test("repeated wrong passwords make this address wait, told in seconds, even when it forges X-Forwarded-For", async ({
  page,
}) => {
  const email = "reviewer2@example.com";
  try {
    for (let i = 0; i < 5; i++) {
      await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.20.30.${i}` });
      await signIn(page, email, `wrong-${i}`);
      await expect(page.getByText(/Email or password is incorrect/)).toBeVisible();
    }
    await page.setExtraHTTPHeaders({ "x-forwarded-for": "10.20.30.99" });
    await signIn(page, email);
    await expect(page.getByRole("alert").filter({ hasText: /Too many/ })).toHaveText(
      /^Too many failed sign-ins from this address\. Try again in \d+ seconds\.$/,
    );
  } finally {
    await withDatabase((db) => db.query("delete from sign_in_throttles"));
  }
});

test("signing out ends the session on the server: a copy of its cookie no longer works", async ({
  browser,
}) => {
  const customer = await personaPage(browser, "user@example.com");
  const cookies = await customer.context().cookies();
  await customer.getByRole("button", { name: "Sign out" }).click();
  await expect(customer).toHaveURL(/\/signin/);
  const replay = await browser.newContext();
  await replay.addCookies(cookies);
  expect((await replay.request.get("/api/chat")).status()).toBe(401);
  await replay.close();
});

test("a token is made only with the password, with the chosen expiry and scopes, and works within them", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const reviewer = await personaPage(browser, "reviewer@example.com");
  await reviewer.goto("/account/tokens");
  const form = reviewer.getByRole("form", { name: "New token" });
  await form.getByLabel("Token name").fill("e2e reader");
  await form.getByLabel("Expires after").selectOption("7");
  await form.getByLabel("Your password (asked again to create a token)").fill("not-my-password");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(reviewer.getByRole("alert").filter({ hasText: /password/ })).toHaveText(
    "That password is not right; no token was created.",
  );
  await expect(reviewer.getByRole("button", { name: "Revoke e2e reader" })).toHaveCount(0);

  await form.getByLabel("Your password (asked again to create a token)").fill(PASSWORD);
  await form.getByRole("button", { name: "Create token" }).click();
  const value = await reviewer.getByRole("textbox", { name: "New token value" }).inputValue();
  expect(value).toMatch(/^cs_pat_/);
  const row = reviewer.getByRole("row", { name: /e2e reader/ });
  await expect(row).toContainText("read");
  await expect(row).not.toContainText("decide");

  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${value}` },
  });
  expect((await api.get("/api/v1/approvals")).status()).toBe(200);
  const decided = await api.post(`/api/v1/approvals/${crypto.randomUUID()}/decision`, {
    data: { decision: "approve" },
  });
  expect(decided.status()).toBe(403);
  await api.dispose();
});
