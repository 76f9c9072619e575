import { expect, test } from "@playwright/test";
import { personaPage } from "./helpers";

// /ops/alerts for reviewers and admins, each runbook one click away; alert rules for admins,
// saved as versions.
test("a reviewer reads the runbooks from /ops/alerts; an admin saves a rule as a new version", async ({
  browser,
}) => {
  const reviewer = await personaPage(browser, "reviewer@example.com");
  await reviewer.goto("/ops/alerts");
  await expect(reviewer.getByRole("heading", { name: "Alerts" })).toBeVisible();
  await expect(reviewer.getByRole("region", { name: "Firing" })).toBeVisible();
  await expect(reviewer.getByRole("link", { name: "Alert rules" })).toHaveCount(0);
  await reviewer
    .getByRole("region", { name: "Runbooks" })
    .getByRole("link", { name: "A cost or loop storm" })
    .click();
  await expect(
    reviewer.getByRole("heading", { name: "A cost or loop storm", level: 1 }),
  ).toBeVisible();
  await expect(reviewer.getByRole("heading", { name: "Switches" })).toBeVisible();
  await reviewer.goto("/ops/alerts/rules");
  await expect(reviewer.getByRole("heading", { name: "Access denied" })).toBeVisible();

  const admin = await personaPage(browser, "admin@example.com");
  await admin.goto("/ops/alerts/rules");
  const form = admin.getByRole("form", { name: "Alert rule approval-backlog" });
  await form.getByLabel("Threshold (seconds)").fill("900");
  await form.getByLabel("Reason for the change").fill("e2e: page after 15 minutes");
  await form.getByRole("button", { name: /Save as version \d+/ }).click();
  await expect(form.getByRole("status")).toContainText(/Saved approval-backlog as version \d+/);
  await expect(
    admin
      .getByRole("region", { name: "An approval has waited more than 30 minutes" })
      .getByText(/· version [1-9]/),
  ).toBeVisible();
});
