import { expect, test } from "@playwright/test";
import { askInChat, openInboxItem, parkedMessage, personaPage } from "./helpers";

// Orders 1042 and 1044 belong to user@example.com in the seed; each test uses its own order.

test("refund requested, parked, approved, executed once, and the user sees it live", async ({
  browser,
}) => {
  const customer = await personaPage(browser, "user@example.com");
  await expect(customer).toHaveURL(/\/chat$/);
  await expect(customer.getByText("Offline demo model")).toBeVisible();
  await askInChat(customer, "Order 1042 arrived broken, I want my money back");
  await expect(parkedMessage(customer, 1042)).toBeVisible();

  const reviewer = await personaPage(browser, "reviewer@example.com");
  await expect(reviewer).toHaveURL(/\/inbox(\?item=[0-9a-f-]{36})?$/);
  const row = reviewer.getByRole("row", { name: /order 1042/ });
  await expect(row).toContainText("refunds");
  await expect(row).toContainText("issue_refund");
  await expect(row).toContainText("irreversible");
  await openInboxItem(reviewer, 1042);
  await expect(
    reviewer.getByText("“Order 1042 arrived broken, I want my money back”"),
  ).toBeVisible();
  await expect(reviewer.getByRole("region", { name: "Untrusted inputs in context" })).toContainText(
    "lookup_order result",
  );
  const trace = reviewer.getByRole("list", { name: "Run trace" });
  await expect(trace).toContainText("lookup_order · succeeded");
  await expect(trace).toContainText(/\d+ in \/ \d+ out tokens/);
  await expect(trace).toContainText(/\d+ ms/);

  await reviewer.getByRole("button", { name: "Approve" }).dblclick();
  await expect(reviewer.getByRole("status").first()).toContainText(/approved/i);

  // The customer's chat updates without a reload.
  await expect(customer.getByText(/€89\.90 has been refunded for order 1042/)).toBeVisible({
    timeout: 30_000,
  });

  // Exactly one refund: the order now has nothing left to refund.
  await askInChat(customer, "What is the payment status of order 1042?");
  await expect(
    customer.getByText(
      /Order 1042 is delivered; you paid €89\.90 and €89\.90 has been refunded so far/,
    ),
  ).toBeVisible({ timeout: 30_000 });
});

test("rejected with a reason: nothing executes and the user gets an honest answer", async ({
  browser,
}) => {
  const customer = await personaPage(browser, "user@example.com");
  await askInChat(customer, "Order 1044 is damaged, refund please");
  await expect(parkedMessage(customer, 1044)).toBeVisible();

  const reviewer = await personaPage(browser, "reviewer2@example.com");
  await openInboxItem(reviewer, 1044);
  await reviewer.getByRole("button", { name: "Reject" }).click();
  await reviewer.getByLabel("Reason").fill("The photos show the chair intact");
  await reviewer.getByRole("button", { name: "Confirm rejection" }).click();
  await expect(reviewer.getByRole("status").first()).toContainText(/rejected/i);

  await expect(
    customer.getByText(
      "Our team did not approve a refund of €159.00 for order 1044. Their reason: “The photos show the chair intact”. Nothing has been done.",
    ),
  ).toBeVisible({ timeout: 30_000 });
  await askInChat(customer, "What's the payment status of order 1044?");
  await expect(customer.getByText(/€159\.00 and €0\.00 has been refunded so far/)).toBeVisible({
    timeout: 30_000,
  });
});
