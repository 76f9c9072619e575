import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { withDatabase } from "./database";
import { PASSWORD, personaPage } from "./helpers";

// An admin lowers the per-user message rate on /admin/agents; a customer's second message inside
// the minute is refused in the chat, saying which limit and when to try again, and the text stays
// in the box. A fresh customer, so no other spec's messages count against the minute.

const FIELD = "Messages per minute per user";

async function saveLimits(admin: Page, reason: string): Promise<number> {
  const editing = await admin.getByText(/^Editing limits version \d+\./).textContent();
  const next = Number(editing!.match(/\d+/)![0]) + 1;
  const form = admin.getByRole("form", { name: "Limits per user" });
  await form.getByLabel("Reason for changing the limits").fill(reason);
  await form.getByRole("button", { name: "Save the limits" }).click();
  await expect(form.getByRole("status")).toHaveText(
    `Saved as version ${next}. New messages are checked against it.`,
  );
  return next;
}

test("an admin limits messages per minute; the chat refuses the next one plainly and keeps the text", async ({
  browser,
}) => {
  const email = `limits-${randomUUID().slice(0, 8)}@example.test`;
  const passwordHash = await hashPassword(PASSWORD);
  await withDatabase((db) =>
    db.query(
      `insert into users (id, email, name, password_hash, role) values (gen_random_uuid(), $1, 'Lim Customer', $2, 'user')`,
      [email, passwordHash],
    ),
  );

  const admin = await personaPage(browser, "admin@example.com");
  await admin.goto("/admin/agents");
  const form = admin.getByRole("form", { name: "Limits per user" });
  const perMinute = form.getByLabel(FIELD);
  const original = await perMinute.inputValue();
  // The per-agent daily budget sits with each agent, shown beside what it spent today.
  await expect(
    admin.getByRole("table", { name: "Agents" }).getByRole("row", { name: /Refunds/ }),
  ).toContainText(/\$\d+\.\d\d of \$100\.00/);

  // Checked in the browser before anything is sent.
  await perMinute.fill("0");
  await form.getByRole("button", { name: "Save the limits" }).click();
  await expect(form.getByText("Must be from 1 to 600")).toBeVisible();
  await expect(form.getByText("Say why you are changing the limits")).toBeVisible();

  await perMinute.fill("1");
  const lowered = await saveLimits(admin, "e2e: one message a minute");
  const row = admin
    .getByRole("table", { name: "Limits history" })
    .getByRole("row", { name: new RegExp(`^v${lowered} `) });
  await expect(row).toContainText("admin@example.com");
  await expect(row).toContainText("e2e: one message a minute");
  await expect(row).toContainText(`${FIELD}: ${original} → 1`);

  try {
    const customer = await personaPage(browser, email);
    await expect(customer).toHaveURL(/\/chat$/);
    const box = customer.getByLabel("Message");
    await box.fill("How long does delivery take?");
    await customer.getByRole("button", { name: "Send" }).click();
    await expect(customer.getByText(/Delivery: Orders ship within 2 business days/)).toBeVisible({
      timeout: 30_000,
    });
    await expect(box).toHaveValue("");

    await box.fill("And do you ship abroad?");
    await customer.getByRole("button", { name: "Send" }).click();
    // Scoped to the chat's own alert (Next.js announces route changes in an alert of its own).
    await expect(customer.getByRole("alert").filter({ hasText: /message/ })).toHaveText(
      /^You can send up to 1 message a minute\. Try again in (\d+ seconds|1 minute); this message was not sent\.$/,
    );
    await expect(box).toHaveValue("And do you ship abroad?");
    // Nothing was queued: the thread holds the one question and its answer only.
    await expect(
      customer.getByRole("list", { name: "Conversation" }).locator("[data-author]"),
    ).toHaveCount(2);
  } finally {
    await perMinute.fill(original);
    expect(await saveLimits(admin, "e2e: restore the usual message rate")).toBe(lowered + 1);
  }
});
