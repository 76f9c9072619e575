import { describe, expect, it } from "vitest";
import { limitsFormSchema } from "./limits-form";
import { settingsReason } from "./setting-fields";
import type { LimitBounds } from "./limit-fields";

// As the admin page reads them from workspaceLimitsSchema.
const bounds: LimitBounds = {
  maxRunsInFlight: { min: 1, max: 50, integer: true },
  maxTurnsPerMinute: { min: 1, max: 600, integer: true },
  userDailyBudgetMicros: { min: 0, max: 1_000_000_000, integer: true },
};
const draft = {
  maxRunsInFlight: "3",
  maxTurnsPerMinute: "10",
  userDailyBudgetMicros: "2.5",
  limitsReason: "  a busy week  ",
};

describe("the limits form's schema", () => {
  it("reads dollars into micro-dollars and trims the reason, as the server stores them", () => {
    expect(limitsFormSchema(bounds).parse(draft)).toEqual({
      limits: { maxRunsInFlight: 3, maxTurnsPerMinute: 10, userDailyBudgetMicros: 2_500_000 },
      reason: "a busy week",
    });
  });

  it("names each wrong field with the server's words", () => {
    const result = limitsFormSchema(bounds).safeParse({
      ...draft,
      maxRunsInFlight: "1.5",
      maxTurnsPerMinute: "",
      limitsReason: "x",
    });
    expect(result.success).toBe(false);
    const byField = Object.fromEntries(result.error!.issues.map((i) => [i.path[0], i.message]));
    expect(byField).toEqual({
      maxRunsInFlight: "Use a whole number",
      maxTurnsPerMinute: "Enter the messages per minute per user",
      limitsReason: "Say why you are changing the limits",
    });
  });
});

describe("the reasons the settings and limits forms share with the server", () => {
  it("asks for a reason and keeps it short, in the same words on both sides", () => {
    expect(settingsReason.safeParse("  ").error?.issues[0]?.message).toBe(
      "Say why you are changing the settings",
    );
    expect(settingsReason.safeParse("x".repeat(501)).error?.issues[0]?.message).toBe(
      "Keep the reason under 500 characters",
    );
    expect(settingsReason.parse("  new tier  ")).toBe("new tier");
  });
});
