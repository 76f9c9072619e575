import { expect, type Browser, type Page } from "@playwright/test";

export const PASSWORD = "countersign-demo";

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A fresh browser context (its own cookies), signed in as `email`. */
export async function personaPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  return page;
}

export async function askInChat(page: Page, text: string) {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
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
