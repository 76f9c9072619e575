import { describe, expect, it } from "vitest";
import { ruleFormSchema, type RuleDraft } from "./inputs";

const draft: RuleDraft = {
  key: "queue-age",
  name: "An approval waits too long",
  metric: "approval_queue_age",
  agent: "",
  mode: "threshold",
  bar: "900",
  windowMinutes: "60",
  minSample: "1",
  sustainedMinutes: "0",
  renotifyMinutes: "30",
  channels: ["in_app", "email"],
  runbook: "approval-backlog",
  enabled: true,
  resolvedMessage: "  All clear.  ",
  reason: " page sooner ",
};

describe("the alert rule form's schema", () => {
  it("reads the typed fields into what the server action parses", () => {
    expect(ruleFormSchema.parse(draft)).toEqual({
      key: "queue-age",
      rule: {
        name: "An approval waits too long",
        enabled: true,
        metric: "approval_queue_age",
        agent: null,
        condition: { mode: "threshold", above: 900 },
        windowMinutes: 60,
        minSample: 1,
        sustainedMinutes: 0,
        channels: ["in_app", "email"],
        renotifyMinutes: 30,
        resolvedMessage: "All clear.",
        runbook: "approval-backlog",
      },
      reason: "page sooner",
    });
  });

  it("puts the server schema's messages at the field they belong to", () => {
    const result = ruleFormSchema.safeParse({
      ...draft,
      key: "Q",
      bar: "many",
      windowMinutes: "",
      channels: [],
      reason: "",
    });
    const fields = new Set(result.error!.issues.map((i) => i.path.join(".")));
    expect(fields).toEqual(new Set(["key", "bar", "windowMinutes", "channels", "reason"]));
    const byField = Object.fromEntries(result.error!.issues.map((i) => [i.path[0], i.message]));
    expect(byField.bar).toBe("Enter a number");
    expect(byField.channels).toBe("channels: choose at least one");
    expect(byField.reason).toBe("reason: say why you are changing the rule");
  });

  it("names the condition when the metric has no baseline to compare with", () => {
    const result = ruleFormSchema.safeParse({ ...draft, mode: "baseline", bar: "2" });
    expect(result.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["mode", "condition: this metric has no baseline; use a threshold"],
    ]);
  });
});
