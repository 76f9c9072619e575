import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { askForRefund, openInboxItem, personaPage } from "./helpers";

// Orders 2041–2047 are this spec's own: written to the app's database before the tests, then
// reached the way a customer would, through the chat. Other specs' items may share the queue.
const TRIAGE = [
  { order: 2041, customer: "cus_ada", cents: 1100 },
  { order: 2042, customer: "cus_ada", cents: 1200 },
  { order: 2043, customer: "cus_ada", cents: 1300 },
  { order: 2044, customer: "cus_grace", cents: 1400 },
  { order: 2045, customer: "cus_grace", cents: 1500 },
];
const EDITED = { order: 2046, customer: "cus_ada", cents: 5000 };
const CLAIMED = { order: 2047, customer: "cus_grace", cents: 2700 };
const EMAIL = { cus_ada: "user@example.com", cus_grace: "user2@example.com" } as const;

/** The app's database: named by the Playwright config (E2E_DB_NAME), else the newest e2e_<start time>. */
async function e2eDatabase(): Promise<pg.Client> {
  const server = `postgresql://countersign:countersign-local@127.0.0.1:${process.env.E2E_PG_PORT ?? "25434"}`;
  let name = process.env.E2E_DB_NAME;
  if (!name) {
    const admin = new pg.Client({ connectionString: `${server}/postgres` });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'e2e\\_%' order by datname desc limit 1",
    );
    await admin.end();
    name = rows[0]!.datname;
  }
  const client = new pg.Client({ connectionString: `${server}/${name}` });
  await client.connect();
  return client;
}

test.beforeAll(async () => {
  const client = await e2eDatabase();
  try {
    for (const { order, customer, cents } of [...TRIAGE, EDITED, CLAIMED]) {
      await client.query(
        `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
         values ($1, $2, 'delivered', 'EUR', $3, $4, now() - interval '3 days') on conflict (id) do nothing`,
        [
          order,
          customer,
          cents,
          JSON.stringify([{ sku: `E2E-${order}`, name: "Test item", qty: 1, cents }]),
        ],
      );
      await client.query(
        `insert into shop_payments (id, order_id, amount_cents, method, status, created_at)
         values ($1, $2, $3, 'card', 'captured', now() - interval '3 days') on conflict (id) do nothing`,
        [`pay_${order}`, order, cents],
      );
    }
  } finally {
    await client.end();
  }
});

const row = (page: Page, order: number) =>
  page.getByRole("row", { name: new RegExp(`order ${order}\\b`) });
const selectedRow = (page: Page) => page.locator("tbody tr[aria-current='true']");
const badge = (page: Page) =>
  page.getByRole("navigation", { name: "Main" }).getByTestId("pending-badge");
/** The badge shows the pending count, and nothing at all when the queue is empty. */
const expectBadge = (page: Page, count: number) =>
  count === 0 ? expect(badge(page)).toHaveCount(0) : expect(badge(page)).toHaveText(String(count));

/**
 * The split pane's packet shows this order's item, so a / r / e act on what the reviewer reads, and
 * its live facts are in: until they are, "a" answers "Still checking the live facts" (a warning
 * may be on its way), which on a busy machine can take longer than the packet itself.
 */
async function expectInView(page: Page, order: number) {
  const packet = page.getByRole("region", { name: "Packet in view" });
  await expect(
    packet.getByRole("heading", { name: "Proposed call" }).locator("xpath=.."),
  ).toContainText(new RegExp(`order ${order}\\b`));
  await expect(packet.getByRole("button", { name: "Approve" })).toBeEnabled({ timeout: 30_000 });
}

/** Presses j (or k) until the item for `order` is the selected row; re-reads the list each round. */
async function selectWithKeys(page: Page, order: number) {
  const target = row(page, order);
  await expect(target).toBeVisible();
  await expect(async () => {
    const { targetIndex, currentIndex } = await page.locator("tbody tr").evaluateAll(
      (trs, pattern) => ({
        targetIndex: trs.findIndex((tr) => new RegExp(pattern).test(tr.textContent ?? "")),
        currentIndex: trs.findIndex((tr) => tr.getAttribute("aria-current") === "true"),
      }),
      `order ${order}\\b`,
    );
    const from = Math.max(currentIndex, 0);
    for (let i = 0; i < Math.abs(targetIndex - from); i++)
      await page.keyboard.press(targetIndex >= from ? "j" : "k");
    await expect(target).toHaveAttribute("aria-current", "true", { timeout: 1_000 });
  }).toPass({ intervals: [250], timeout: 15_000 });
}

test("keyboard triage of five items, with live updates and a bulk decision", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const ada = await personaPage(browser, EMAIL.cus_ada);
  const grace = await personaPage(browser, EMAIL.cus_grace);
  for (const { order } of TRIAGE.slice(0, 3)) await askForRefund(ada, order);
  await askForRefund(grace, 2044);

  const reviewer = await personaPage(browser, "reviewer@example.com");
  await expect(reviewer).toHaveURL(/\/inbox(\?item=[0-9a-f-]{36})?$/);
  await expect(row(reviewer, 2044)).toBeVisible();
  const before = Number(await badge(reviewer).textContent());

  // A new item arrives without a reload, in the list and in the navigation badge.
  await askForRefund(grace, 2045);
  await expect(row(reviewer, 2045)).toBeVisible();
  await expectBadge(reviewer, before + 1);

  await reviewer.keyboard.press("?");
  await expect(reviewer.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await reviewer.keyboard.press("Escape");
  await expect(reviewer.getByRole("dialog")).toHaveCount(0);

  // j/k move the selection; "a" approves the selected item; the next one takes its place.
  await selectWithKeys(reviewer, 2042);
  await reviewer.keyboard.press("k");
  await expect(selectedRow(reviewer)).toContainText("order 2041");
  await expectInView(reviewer, 2041);
  await reviewer.keyboard.press("a");
  const results = reviewer.getByRole("region", { name: "Decision results" });
  await expect(results).toContainText(/Approved · issue_refund · €11\.00 on order 2041/);
  await expect(row(reviewer, 2041)).toHaveCount(0);
  await expect(selectedRow(reviewer)).toContainText("order 2042");
  await expectInView(reviewer, 2042);
  await reviewer.keyboard.press("a");
  await expect(results).toContainText(/Approved · issue_refund · €12\.00 on order 2042/);

  // "r" asks for the reason; keys typed into it are text, not commands.
  await expect(selectedRow(reviewer)).toContainText("order 2043");
  await reviewer.keyboard.press("r");
  const rejectDialog = reviewer.getByRole("dialog", { name: "Reject item?" });
  await rejectDialog
    .getByLabel("Reason")
    .pressSequentially("Duplicate of a refund already agreed by phone");
  await expect(row(reviewer, 2043)).toBeVisible();
  await rejectDialog.getByRole("button", { name: "Confirm rejection" }).click();
  await expect(results).toContainText(/Rejected · issue_refund · €13\.00 on order 2043/);

  // "x" ticks items; one confirmation approves both, each decided and reported on its own.
  await selectWithKeys(reviewer, 2044);
  await reviewer.keyboard.press("x");
  await selectWithKeys(reviewer, 2045);
  await reviewer.keyboard.press("x");
  await reviewer
    .getByRole("group", { name: "Bulk decision" })
    .getByRole("button", { name: "Approve selected" })
    .click();
  const confirm = reviewer.getByRole("dialog", { name: "Approve 2 items?" });
  await expect(confirm).toContainText("order 2044");
  await expect(confirm).toContainText("order 2045");
  await confirm.getByRole("button", { name: "Confirm approval" }).click();
  await expect(results).toContainText(/Approved · issue_refund · €14\.00 on order 2044/);
  await expect(results).toContainText(/Approved · issue_refund · €15\.00 on order 2045/);
  await expectBadge(reviewer, before - 4);

  // The customers see the outcomes in their threads.
  await expect(ada.getByText(/€11\.00 has been refunded for order 2041/)).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    ada.getByText(
      /did not approve a refund of €[\d.]+ for order \d+\. Their reason: “Duplicate of a refund already agreed by phone”/,
    ),
  ).toBeVisible({
    timeout: 30_000,
  });
  await expect(grace.getByText(/€15\.00 has been refunded for order 2045/)).toBeVisible({
    timeout: 30_000,
  });

  // The decided items are still findable under the Decided filter.
  await reviewer.getByLabel("Status").selectOption("decided");
  await expect(row(reviewer, 2043)).toContainText("rejected by reviewer@example.com");
});

test("edit with a diff, then approve: the edited call executes and its provenance is shown", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const ada = await personaPage(browser, EMAIL.cus_ada);
  await askForRefund(ada, EDITED.order);

  const reviewer = await personaPage(browser, "reviewer@example.com");
  await selectWithKeys(reviewer, EDITED.order);
  await expectInView(reviewer, EDITED.order);
  // "e" edits in place, in the packet beside the list; the address names the item.
  await reviewer.keyboard.press("e");
  await expect(reviewer).toHaveURL(/\/inbox\?item=[0-9a-f-]{36}$/);
  const itemId = new URL(reviewer.url()).searchParams.get("item");
  const form = reviewer.getByRole("form", { name: "Edit the call" });
  const amount = form.getByLabel("amount_cents");
  // Money as an amount in its currency; the call stores cents.
  await expect(amount).toHaveValue("50.00");
  await expect(form.getByLabel("reason")).toHaveValue(
    /^Customer reports: Order 2046 arrived broken/,
  );

  // Checked against the tool's schema before anything is sent.
  await amount.fill("0");
  await form.getByRole("button", { name: "Approve edited call" }).click();
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  await expect(form).toContainText(/Too small/);

  await amount.fill("15.00");
  const diff = form.getByRole("region", { name: "Changes against the proposed call" });
  await expect(diff.getByRole("row", { name: /amount_cents/ })).toContainText("5000");
  await expect(diff.getByRole("row", { name: /amount_cents/ })).toContainText("1500");
  await expect(diff.getByRole("row")).toHaveCount(2); // header and the one change
  await form
    .getByLabel("Note for the customer (optional)")
    .fill("Only the lid was broken; partial refund agreed");
  await form.getByRole("button", { name: "Approve edited call" }).click();
  await expect(reviewer.getByRole("region", { name: "Decision results" })).toContainText(
    /Approved · issue_refund · €50\.00 on order 2046/,
  );
  await reviewer.goto(`/inbox/${itemId}`);

  const provenance = reviewer.getByRole("table", {
    name: "Arguments: proposed, approved, executed",
  });
  await expect(
    provenance.getByRole("columnheader", { name: "Approved by reviewer@example.com" }),
  ).toBeVisible();
  await expect(provenance.getByRole("row", { name: /amount_cents/ })).toHaveText(
    /amount_cents\s*5000\s*1500\s*1500/,
    { timeout: 30_000 },
  );
  await expect(
    reviewer.getByText(/reviewer@example\.com changed amount_cents from 5000 to 1500 at/),
  ).toBeVisible();
  await expect(reviewer.getByText("Executed: call succeeded.")).toBeVisible();

  await expect(ada.getByText(/€15\.00 has been refunded for order 2046/)).toBeVisible({
    timeout: 30_000,
  });
});

test("two reviewers on one item: the second sees who is on it, and may still decide", async ({
  browser,
}) => {
  const grace = await personaPage(browser, EMAIL.cus_grace);
  await askForRefund(grace, CLAIMED.order);

  const riley = await personaPage(browser, "reviewer@example.com");
  await openInboxItem(riley, CLAIMED.order);
  await expect(riley.getByRole("note")).toContainText("You are on this item");

  const robin = await personaPage(browser, "reviewer2@example.com");
  await expect(row(robin, CLAIMED.order)).toContainText("Riley Reviewer is on this");
  // From the inbox, "a" on someone else's item asks first, naming who is on it.
  await selectWithKeys(robin, CLAIMED.order);
  await expectInView(robin, CLAIMED.order);
  await robin.keyboard.press("a");
  const confirm = robin.getByRole("dialog", { name: "Approve item?" });
  await expect(confirm).toContainText("Riley Reviewer is on this");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(row(robin, CLAIMED.order)).toBeVisible();
  await row(robin, CLAIMED.order)
    .getByRole("link", { name: /order 2047\b/ })
    .click();
  // The item's own page: until it has loaded, the packet beside the list (with the same note and
  // its own Approve) is still on screen, and a decision there is told in the list's results.
  await expect(robin).toHaveURL(/\/inbox\/[0-9a-f-]{36}$/);
  await expect(robin.getByRole("note")).toContainText("Riley Reviewer is on this");
  await expect(robin.getByRole("note")).toContainText("You can still decide");

  await robin.getByRole("button", { name: "Approve" }).click();
  // Their own confirmation, or (once the live packet has re-read the item) the decision in words.
  await expect(
    robin
      .getByRole("region", { name: "Decision", exact: true })
      .getByText(/^(Approved\. The agent has been told\.|Robin Reviewer approved it)/)
      .first(),
  ).toBeVisible();
  await expect(robin.getByRole("note")).toHaveCount(0);

  // Riley's open packet follows without a reload (about a second on a quiet machine; a loaded CI
  // machine gets the usual 15 s): no buttons, who and when in words.
  await expect(
    riley.getByRole("region", { name: "Decision", exact: true }).getByRole("status"),
  ).toContainText(/Robin Reviewer approved it \d+ s ago/);
  await expect(
    riley.getByRole("region", { name: "Decision", exact: true }).getByRole("button"),
  ).toHaveCount(0);
  await expect(grace.getByText(/€27\.00 has been refunded for order 2047/)).toBeVisible({
    timeout: 30_000,
  });
});
