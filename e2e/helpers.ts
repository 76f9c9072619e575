import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";

export const PASSWORD = "countersign-demo";

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

type SessionState = Awaited<ReturnType<BrowserContext["storageState"]>>;

// Each persona signs in through the form once per worker; later pages reuse that session's cookie.
// A sign-in is seconds of a busy two-core machine and the specs ask for eighty; the form itself is
// tested where it is the subject (access, account-security, sso specs sign in with signIn()).
const sessions = new Map<string, SessionState>();

// A context opened with browser.newContext() outlives its test (Playwright closes only its own
// `context` fixture), and with one worker every page of every earlier spec stayed open: its stream,
// its polls, its claims. Fifty specs in, a hundred pages were loading the app, and /ops took 60–100 s
// in the suite against 5 s alone. So a persona page lives as long as its test: the next test's first
// persona page closes the ones before it.
const openedBy = new Map<BrowserContext, string>();

async function closeEarlierTestsPages() {
  const current = test.info().testId;
  for (const [context, testId] of openedBy) {
    if (testId === current) continue;
    openedBy.delete(context);
    await context.close().catch(() => {}); // already closed by its test
  }
}

async function newPersonaContext(browser: Browser, options: Parameters<Browser["newContext"]>[0]) {
  await closeEarlierTestsPages();
  const context = await browser.newContext(options);
  openedBy.set(context, test.info().testId);
  return context;
}

/**
 * A fresh browser context (its own cookies) signed in as `email`, on the persona's home page. A
 * session that has ended since (signed out, account deactivated) lands on sign-in: it signs in anew.
 */
export async function personaPage(browser: Browser, email: string): Promise<Page> {
  const saved = sessions.get(email);
  if (saved) {
    const context = await newPersonaContext(browser, { storageState: saved });
    const page = await context.newPage();
    await page.goto("/");
    if (new URL(page.url()).pathname !== "/signin") {
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      return page;
    }
    await context.close();
  }
  const context = await newPersonaContext(browser, {});
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  sessions.set(email, await context.storageState());
  return page;
}

export async function askInChat(page: Page, text: string) {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/**
 * Asks for a refund of `order` in the chat and waits for its own "needs to confirm" message (counted,
 * so a second ask for one order does not pass on the first one's). The demo customers chat in many
 * specs and may reach the 10 messages a minute a customer may send: as a person would, this waits
 * as long as the chat says and sends again (the message stays in the field).
 */
export async function askForRefund(customer: Page, order: number) {
  const parked = customer.getByText(new RegExp(`needs to confirm .*order ${order}\\b`));
  const before = await parked.count();
  await askInChat(customer, `Order ${order} arrived broken, I want my money back`);
  const limited = customer.getByRole("alert").filter({ hasText: /Try again in/ });
  await expect(parked.nth(before).or(limited)).toBeVisible({ timeout: 30_000 });
  if (await limited.isVisible()) {
    const wait = /Try again in (\d+) seconds?/.exec((await limited.textContent()) ?? "");
    const seconds = Number(wait?.[1] ?? 60) + 1;
    console.log(`the chat said to wait (10 messages a minute); sending again in ${seconds} s`);
    await customer.waitForTimeout(seconds * 1_000);
    await customer.getByRole("button", { name: "Send" }).click();
  }
  await expect(parked).toHaveCount(before + 1, { timeout: 30_000 });
}

/** Opens the inbox item whose summary mentions the order, from the reviewer's inbox. */
export async function openInboxItem(page: Page, order: number) {
  await page.goto("/inbox");
  // The item's row in the list (the packet beside it may link to the same order among its related items).
  await page
    .getByRole("row", { name: new RegExp(`order ${order}\\b`) })
    .getByRole("link", { name: new RegExp(`order ${order}\\b`) })
    .click();
  // The inbox shows a packet beside the list too: wait for the item's own page.
  await expect(page).toHaveURL(/\/inbox\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Proposed call" })).toBeVisible();
}

/** The chat's "waiting for a human" message about this order (not an earlier one in the thread). */
export function parkedMessage(page: Page, order: number) {
  return page.getByText(
    new RegExp(`^Before I go ahead, a member of our team needs to confirm .*order ${order}\\b`),
  );
}
