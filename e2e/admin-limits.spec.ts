import { expect, test, type Page } from "@playwright/test";
import { askInChat, personaPage } from "./helpers";

// Order 1043 (user@example.com) is used by this spec only.
const REQUEST = "Order 1043 arrived broken, I want my money back";

/**
 * Saves the refunds agent's form as it stands, with a reason ("save and activate"); returns the new
 * version number. The save runs the promotion gate (the agent's eval suites on the new version):
 * when it fails, the admin sees which cases failed and activates anyway with `override`.
 */
async function saveSettings(
  admin: Page,
  reason: string,
  override?: { reason: string; failing: RegExp },
): Promise<number> {
  const editing = await admin.getByText(/^Editing version \d+\./).textContent();
  await admin.getByLabel("Reason for the change").fill(reason);
  await admin.getByRole("button", { name: "Save as a new version" }).click();
  if (override) {
    const gate = admin.getByRole("region", { name: "Promotion gate failed" });
    await expect(gate.getByRole("alert")).toContainText(
      /Saved as version \d+, a candidate: the promotion gate failed/,
      { timeout: 180_000 },
    );
    await expect(gate.getByRole("list", { name: "Failed eval cases" })).toContainText(
      override.failing,
    );
    const candidate = Number(
      (await gate.getByRole("alert").textContent())!.match(/version (\d+)/)![1],
    );
    await gate.getByLabel("Reason to activate anyway").fill(override.reason);
    await gate.getByRole("button", { name: "Activate anyway" }).click();
    await expect(
      admin
        .getByRole("status")
        .filter({ hasText: `Version ${candidate} is active, the gate overridden.` }),
    ).toBeVisible();
    return candidate;
  }
  const saved = admin
    .getByRole("status")
    .filter({ hasText: /^Saved as version \d+\. New runs of this agent use it\./ });
  await expect(saved).toBeVisible({ timeout: 180_000 });
  const version = Number((await saved.textContent())!.match(/version (\d+)/)![1]);
  expect(version).toBeGreaterThan(Number(editing!.match(/\d+/)![0]));
  return version;
}

test("an admin lowers the refunds agent's iteration limit; the next run stops there and a reviewer sees why", async ({
  browser,
}) => {
  // Each save runs the agent's eval suites on a scratch copy of the demo state.
  test.setTimeout(420_000);
  const admin = await personaPage(browser, "admin@example.com");
  await admin.goto("/admin/agents");
  await admin.getByRole("table", { name: "Agents" }).getByRole("link", { name: "Refunds" }).click();
  await expect(admin.getByRole("heading", { name: "Refunds agent" })).toBeVisible();

  const maxIterations = admin.getByLabel("Max iterations");
  const original = await maxIterations.inputValue();

  // Irreversible tools never offer "auto"; the reason is shown beside the choice.
  const refundPolicy = admin.getByRole("group", { name: "issue_refund" });
  await expect(refundPolicy.getByRole("radio", { name: "Auto" })).toBeDisabled();
  await expect(refundPolicy.getByRole("radio", { name: "Require approval" })).toBeChecked();
  await expect(refundPolicy).toContainText("“Auto” is not available");

  // Checked in the browser before anything is sent: out of range, and no reason.
  await maxIterations.fill("0");
  await admin.getByRole("button", { name: "Save as a new version" }).click();
  await expect(admin.getByText("Must be from 1 to 50")).toBeVisible();
  await expect(admin.getByText("Say why you are changing the settings")).toBeVisible();
  await expect(maxIterations).toHaveAttribute("aria-invalid", "true");

  await maxIterations.fill("1");
  // One step cannot look an order up and propose its refund: the gate fails, the admin overrides.
  const lowered = await saveSettings(admin, "e2e: stop refunds after one step", {
    reason: "e2e: we want to watch the step limit stop a run",
    failing: /golden\/broken-item-refunded-after-approval/,
  });
  const history = admin.getByRole("table", { name: "Version history" });
  await expect(history.getByRole("row", { name: new RegExp(`^v${lowered} `) })).toContainText(
    `admin@example.com`,
  );
  await expect(history.getByRole("row", { name: new RegExp(`^v${lowered} `) })).toContainText(
    `e2e: stop refunds after one step`,
  );
  await expect(history.getByRole("row", { name: new RegExp(`^v${lowered} `) })).toContainText(
    `Max iterations: ${original} → 1`,
  );
  await expect(history.getByRole("row", { name: new RegExp(`^v${lowered} `) })).toContainText(
    /Activated by admin@example\.com: gate overridden — “e2e: we want to watch the step limit stop a run” \(failed: .*golden\/broken-item-refunded-after-approval/,
  );

  try {
    const customer = await personaPage(browser, "user@example.com");
    await askInChat(customer, REQUEST);
    await expect(
      customer.getByText(/I had to stop before finishing this request/).last(),
    ).toBeVisible({ timeout: 30_000 });

    const reviewer = await personaPage(browser, "reviewer@example.com");
    await reviewer.goto("/runs");
    const row = reviewer
      .getByRole("table", { name: "Runs" })
      .getByRole("row", { name: new RegExp(REQUEST) })
      .first();
    await expect(row).toContainText("terminated", { timeout: 30_000 });
    await expect(row.getByRole("cell", { name: /terminated/ })).toContainText(
      /max_iterations: .*\b1 steps?$/,
    );
    await expect(row.getByRole("cell", { name: `v${lowered}`, exact: true })).toBeVisible();

    await row.getByRole("link", { name: REQUEST }).click();
    await expect(reviewer.getByRole("heading", { name: "Run", exact: true })).toBeVisible();
    await expect(reviewer.getByText(`refunds v${lowered}`)).toBeVisible();
    await expect(reviewer.getByText(/^max_iterations: .*\b1 steps?$/)).toBeVisible();
    await expect(reviewer.getByRole("list", { name: "Tool calls" })).toContainText("lookup_order");
    await expect(reviewer.getByRole("list", { name: "Tool calls" })).not.toContainText(
      "issue_refund",
    );
    await expect(reviewer.getByRole("list", { name: "Run trace" })).toContainText("max_iterations");

    // The user was promised that someone follows up: the run waits under Follow-ups, and the
    // reviewer's reply appears in the user's open chat without a reload.
    const waiting = reviewer
      .getByRole("navigation", { name: "Main" })
      .getByTestId("follow-up-count");
    await expect(waiting).toHaveText(/^\d+$/);
    const before = Number(await waiting.textContent());
    await reviewer
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: /Follow-ups/ })
      .click();
    const card = reviewer
      .getByRole("listitem", { name: "Follow-up for Ada Customer" })
      .filter({ hasText: REQUEST })
      .last();
    await expect(card).toContainText(/Why a person is needed: terminated: max_iterations/);
    const reply = card.getByRole("form", { name: "Reply to Ada Customer" });
    await reply.getByRole("button", { name: "Send reply" }).click();
    await expect(reply.getByRole("alert")).toHaveText("Write a reply first");
    await reply
      .getByLabel("Reply in Ada Customer’s chat")
      .fill("Sorry for the wait: I have checked order 1043 and will refund it today.");
    await reply.getByRole("button", { name: "Send reply" }).click();
    // The navigation count drops at once (and disappears at zero).
    await (before > 1
      ? expect(waiting).toHaveText(String(before - 1))
      : expect(waiting).toHaveCount(0));
    await reviewer.getByRole("link", { name: "Answered" }).click();
    const answered = reviewer
      .getByRole("listitem")
      .filter({ hasText: "I have checked order 1043" })
      .first();
    await expect(answered).toContainText("Answered by reviewer@example.com");
    await answered.getByRole("link", { name: "Open the run" }).click();
    await expect(reviewer.getByText(/^Answered by reviewer@example\.com at /)).toBeVisible();
    await expect(customer.getByText("Riley Reviewer · from our team")).toBeVisible({
      timeout: 30_000,
    });
    await expect(
      customer.getByText("Sorry for the wait: I have checked order 1043 and will refund it today."),
    ).toBeVisible();
  } finally {
    // Put the limit back (a new version) so other specs run under the usual settings.
    await maxIterations.fill(original);
    expect(await saveSettings(admin, "e2e: restore the usual step limit")).toBeGreaterThan(lowered);
  }
});

test("an admin switches a shop failure on for a number of calls, then off", async ({ browser }) => {
  const admin = await personaPage(browser, "admin@example.com");
  await admin.goto("/admin");
  await admin.getByRole("link", { name: /Shop failure switches/ }).click();
  const notes = admin.getByRole("group", { name: "add_order_note" });
  await expect(notes).toContainText("Now: Works normally");
  await notes.getByLabel("Failure").selectOption("upstream_error");
  await notes.getByLabel("Fails N times").fill("0");
  await notes.getByRole("button", { name: "Apply" }).click();
  await expect(
    notes.getByText("Use a whole number from 1 to 1000, or leave it empty"),
  ).toBeVisible();
  try {
    await notes.getByLabel("Fails N times").fill("2");
    await notes.getByRole("button", { name: "Apply" }).click();
    await expect(notes).toContainText("Now: Upstream error (500), for 2 more calls");
  } finally {
    await notes.getByLabel("Failure").selectOption("none");
    await notes.getByRole("button", { name: "Apply" }).click();
    await expect(notes).toContainText("Now: Works normally");
  }
});

test("a reviewer may open runs and follow-ups but not the agent settings; a customer neither", async ({
  browser,
}) => {
  const reviewer = await personaPage(browser, "reviewer@example.com");
  await reviewer.goto("/admin/agents/refunds");
  await expect(reviewer.getByRole("heading", { name: "Access denied" })).toBeVisible();
  await reviewer.goto("/follow-ups?status=bogus");
  await expect(reviewer.getByText(/Choose open or answered/)).toBeVisible();
  const customer = await personaPage(browser, "user@example.com");
  await customer.goto("/follow-ups");
  await expect(customer.getByRole("heading", { name: "Access denied" })).toBeVisible();
  expect((await customer.request.get("/api/follow-ups/count")).status()).toBe(403);
  expect(await (await reviewer.request.get("/api/follow-ups/count")).json()).toEqual({
    open: expect.any(Number),
  });
  await reviewer.goto("/runs?status=bogus");
  await expect(reviewer.getByText(/Choose one of the listed statuses/)).toBeVisible();
  await expect(reviewer.getByRole("heading", { name: "Runs", exact: true })).toBeVisible();
});
