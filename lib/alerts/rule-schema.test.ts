import { describe, expect, it } from "vitest";
import { alertEmail, alertMessage, alertSlackPayload } from "./message";
import { alertRuleSchema, DEFAULT_ALERT_RULES } from "./rule-schema";

const base = DEFAULT_ALERT_RULES["token-spike"]!;

describe("alert rules", () => {
  it("accepts the built-in rules", () => {
    for (const rule of Object.values(DEFAULT_ALERT_RULES))
      expect(alertRuleSchema.safeParse(rule).success).toBe(true);
  });

  it("refuses a baseline condition on a metric without a baseline, naming the field", () => {
    const parsed = alertRuleSchema.safeParse({ ...base, metric: "approval_queue_age" });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({
      path: ["condition"],
      message: "condition: this metric has no baseline; use a threshold",
    });
  });

  it("refuses a rule with no channel or a factor that is no deviation", () => {
    expect(alertRuleSchema.safeParse({ ...base, channels: [] }).error!.issues[0]!.message).toBe(
      "channels: choose at least one",
    );
    expect(
      alertRuleSchema.safeParse({ ...base, condition: { mode: "baseline", factor: 1 } }).success,
    ).toBe(false);
  });
});

describe("alert messages", () => {
  const since = new Date("2026-12-01T10:00:00Z");
  it("say firing, still firing and resolved, with the runbook", () => {
    const firing = alertMessage(
      "firing",
      "token-spike",
      base,
      "median 10× the agents' usual tokens over 3 runs",
      since,
      "https://cs.example",
    );
    expect(alertSlackPayload(firing).text).toBe(
      "Alert firing: Runs use far more tokens than their agent usually does — median 10× the agents' usual tokens over 3 runs (breaching since 2026-12-01T10:00:00.000Z)",
    );
    expect(alertEmail(firing).text).toContain(
      "Open it: https://cs.example/ops/runbooks/cost-or-loop-storm",
    );
    expect(alertEmail(alertMessage("renotify", "token-spike", base, "x", since)).subject).toBe(
      "Still firing: Runs use far more tokens than their agent usually does",
    );
    expect(alertSlackPayload(alertMessage("resolved", "token-spike", base, "x", since)).text).toBe(
      `Resolved: ${base.name} — ${base.resolvedMessage}`,
    );
  });

  it("keeps Slack from reading customer text as mentions", () => {
    const m = alertMessage("firing", "k", { ...base, name: "<!channel> spike" }, "s", since);
    expect(alertSlackPayload(m).text).toContain("&lt;!channel&gt; spike");
  });
});
