import { expect, test } from "@playwright/test";
import { withDatabase } from "./database";
import { askInChat, openInboxItem, parkedMessage, personaPage } from "./helpers";

// Datasets from real decisions: a reviewer rejects a refund in the browser, adds the rejection to
// an eval suite in one action, and the new case fails on the version that produced the rejected
// call (run at once, on a scratch copy of the demo state). /evals lists the suite and the run.

test("a rejection in the browser becomes an eval case in one action, failing on the version that proposed it", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // An order of user@example.com that no other spec touches.
  const order = 700_000 + Math.floor(Math.random() * 200_000);
  await withDatabase((db) =>
    db.query(
      `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at) values ($1, 'cus_ada', 'delivered', 'EUR', 3450, '[{"sku":"E2E","qty":1,"cents":3450}]', now())`,
      [order],
    ),
  );

  const customer = await personaPage(browser, "user@example.com");
  await askInChat(customer, `Order ${order} is damaged, refund please`);
  await expect(parkedMessage(customer, order)).toBeVisible({ timeout: 30_000 });

  const reviewer = await personaPage(browser, "reviewer@example.com");
  await openInboxItem(reviewer, order);
  await reviewer.getByRole("button", { name: "Reject" }).click();
  await reviewer.getByLabel("Reason").fill("Damage is cosmetic, offer a voucher instead");
  await reviewer.getByRole("button", { name: "Confirm rejection" }).click();
  await expect(reviewer.getByRole("status").first()).toContainText(/rejected/i);

  // The decided packet offers the case, pre-filled from what happened.
  const offer = reviewer.getByRole("region", { name: "Eval case from this decision" });
  await expect(offer).toContainText("should not propose issue_refund");
  await expect(offer).toContainText("Request: “Order {order} is damaged, refund please”");
  await expect(offer).toContainText("State: an order of €34.50, delivered, €0.00 refunded before");
  await offer.getByRole("button", { name: "Add to eval suite" }).click();
  const added = offer.getByRole("status");
  await expect(added).toContainText(
    /Added decisions\/rejected-issue-refund-[0-9a-f]{8} \(suite version \d+\)/,
    { timeout: 180_000 },
  );
  await expect(added).toContainText(
    /On v\d+, the version that produced this call, the case fails: proposed issue_refund\(.*"amount_cents":3450.*\), which it should not/,
  );

  // /evals: the suite with its recorded case and version history, and the run that failed it.
  await reviewer
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Evals" })
    .click();
  await expect(reviewer.getByRole("heading", { name: "Evals" })).toBeVisible();
  const suites = reviewer.getByRole("table", { name: "Suites" });
  await expect(suites.getByRole("row", { name: /refunds decisions/ })).toContainText(
    /\d+ \(suite version \d+\)/,
  );
  await expect(suites.getByRole("row", { name: /refunds golden/ })).toBeVisible();
  await suites.getByRole("link", { name: "decisions" }).click();
  await expect(reviewer.getByRole("table", { name: "Suite version history" })).toContainText(
    /Added rejected-issue-refund-[0-9a-f]{8} from a rejected decision.*reviewer@example\.com/,
  );
  await reviewer.goBack();
  const latestRun = reviewer.getByRole("table", { name: "Eval runs" }).getByRole("row").nth(1);
  await expect(latestRun).toContainText("decisions");
  await latestRun.getByRole("link").click();
  await expect(reviewer.getByRole("table", { name: "Case results" })).toContainText(
    /rejected-issue-refund-[0-9a-f]{8}.*fail/,
  );
});
