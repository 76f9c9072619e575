import { expect, test } from "@playwright/test";
import { personaPage } from "./helpers";

// The admin side of issue 25 in the browser: the policy page (field-named errors, a stale save said
// in words, a simulation), the teams page, and a reviewer's out-of-office hand-over on /account.

test("an admin edits, saves and simulates the policy; a stale save is said in words; a reviewer cannot open it", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const reviewer = await personaPage(browser, "reviewer@example.com");
  await reviewer.goto("/admin/policy");
  await expect(reviewer.getByText(/cannot open the policy page/)).toBeVisible();

  const admin = await personaPage(browser, "admin@example.com");
  await admin.goto("/admin/policy");
  const editor = admin.getByLabel("Rule set (JSON)");
  await expect(editor).toBeVisible();
  const rule = {
    id: "two-above-100",
    name: "Refunds above €100 need two people",
    tools: ["issue_refund"],
    when: [{ argument: "amount_cents", op: "gt", value: "10000" }],
    effect: { approvals: 2 },
  };
  await editor.fill(JSON.stringify({ rules: [rule] }));
  await admin.getByLabel("Why (kept with the version)").fill("four-eyes above €100");
  const saveButton = admin.getByRole("button", { name: /^Save as version \d+$/ });
  await saveButton.click();
  await expect(
    admin.getByRole("alert").filter({ hasText: /^rules\.0\.when\.0\.value: / }),
  ).toBeVisible();

  // Another admin's tab saves first: this one's save is refused, in words.
  const other = await personaPage(browser, "admin@example.com");
  await other.goto("/admin/policy");
  await admin
    .getByLabel("Rule set (JSON)")
    .fill(
      JSON.stringify(
        { rules: [{ ...rule, when: [{ argument: "amount_cents", op: "gt", value: 10000 }] }] },
        null,
        2,
      ),
    );
  await other.getByLabel("Why (kept with the version)").fill("another admin's change");
  await other.getByRole("button", { name: /^Save as version \d+$/ }).click();
  await expect(
    other.getByRole("status").filter({ hasText: /^Saved as version \d+\./ }),
  ).toBeVisible();
  await saveButton.click();
  await expect(
    admin
      .getByRole("alert")
      .filter({ hasText: /Someone else saved the policy first, so yours was not saved/ }),
  ).toBeVisible();

  await admin.getByRole("button", { name: "Simulate this draft" }).click();
  const result = admin.getByRole("region", { name: /The last 30 days under this draft/ });
  await expect(result.getByRole("row", { name: /Needed two people or more/ })).toBeVisible({
    timeout: 60_000,
  });

  // Leave no rule in force for other specs.
  await admin.reload();
  await admin.getByLabel("Rule set (JSON)").fill('{ "rules": [] }');
  await admin.getByLabel("Why (kept with the version)").fill("end of the policy spec");
  await admin.getByRole("button", { name: /^Save as version \d+$/ }).click();
  await expect(
    admin.getByRole("status").filter({ hasText: /^Saved as version \d+\./ }),
  ).toBeVisible();
});

test("an admin creates a team with an SLA and a reviewer; the reviewer hands their queues over and revokes it", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const admin = await personaPage(browser, "admin@example.com");
  await admin.goto("/admin/teams");
  const form = admin.getByRole("form", { name: "New team" });
  const name = `e2e_${Date.now().toString(36)}`;
  await form.getByLabel("Name (rules route by it)").fill(name);
  await form.getByLabel("Title").fill("Risk desk");
  await form.getByLabel("SLA (minutes to decide)").fill("0");
  await form.getByRole("button", { name: "Create team" }).click();
  await expect(form.getByText("SLA: at least 1 minute")).toBeVisible();
  await form.getByLabel("SLA (minutes to decide)").fill("30");
  await form.getByLabel("Escalation contact").selectOption("reviewer2@example.com");
  await form.getByRole("button", { name: "Create team" }).click();
  const section = admin.getByRole("region", { name: new RegExp(`Risk desk \\(${name}\\)`) });
  await expect(section).toBeVisible();
  await section.getByLabel("Reviewer to add").selectOption("reviewer@example.com");
  await section.getByRole("button", { name: "Add" }).click();
  await expect(section.getByRole("button", { name: "Remove reviewer@example.com" })).toBeVisible();

  const reviewer = await personaPage(browser, "reviewer@example.com");
  await reviewer.goto("/account");
  const handOver = reviewer.getByRole("form", { name: "Hand my queues to another reviewer" });
  await handOver.getByLabel("To").selectOption("reviewer2@example.com");
  await handOver.getByLabel("From").fill("2030-01-01T09:00");
  await handOver.getByLabel("Until").fill("2030-01-08T09:00");
  await handOver.getByRole("button", { name: "Hand over" }).click();
  await expect(
    reviewer
      .getByRole("status")
      .filter({ hasText: "Your queues go to reviewer2@example.com for that period." }),
  ).toBeVisible();
  const row = reviewer.getByRole("row", { name: /reviewer2@example\.com.*upcoming/ }).first();
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(
    reviewer.getByRole("status").filter({ hasText: "Revoked: your queues are yours alone again." }),
  ).toBeVisible();
});
