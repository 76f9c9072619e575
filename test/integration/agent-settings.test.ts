// Versioned agent settings: every save is a new version with who, when and why; irreversible
// tools can never be set to "auto"; bad values are refused with a message a person can act on;
// new runs get the latest version. The admin action adds a stale-edit check on top.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError, describeIssues } from "@/lib/errors";
import { actorFor } from "../support/actors";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));

const {
  defaultSettings,
  effectiveSettings,
  saveSettings,
  saveSettingsInput,
  settingsAt,
  settingsHistory,
} = await import("@/lib/agent-settings/settings");
const { saveAgentSettings } = await import("@/lib/evals/actions");

// The accounts agent: no other test file changes its settings, and afterAll puts its defaults back.
const AGENT = "accounts";

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const reason = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(reason).toBeInstanceOf(AppError);
  return reason as AppError;
}

beforeEach(() => {
  signedIn.actor = null;
});

afterAll(async () => {
  const admin = await actorFor("admin@example.com");
  await saveSettings(admin, {
    agent: AGENT,
    settings: defaultSettings(AGENT),
    reason: "Restore the defaults after the settings tests",
  });
});

describe("saveSettings", () => {
  it("makes every change a new version with who, when and why, and new runs get the latest", async () => {
    const admin = await actorFor("admin@example.com");
    const before = await effectiveSettings(AGENT);
    const first = await saveSettings(admin, {
      agent: AGENT,
      settings: { ...defaultSettings(AGENT), maxIterations: 3 },
      reason: "Fewer steps while we watch it",
    });
    const second = await saveSettings(admin, {
      agent: AGENT,
      settings: { ...defaultSettings(AGENT), maxIterations: 4, tier: "small" },
      reason: "Cheaper model, one more step",
    });
    expect(first.version).toBe(before.version + 1);
    expect(second.version).toBe(before.version + 2);

    const latest = await effectiveSettings(AGENT);
    expect(latest.version).toBe(second.version);
    expect(latest.settings).toMatchObject({ maxIterations: 4, tier: "small" });

    // A run that recorded the older version keeps its rules.
    expect((await settingsAt(AGENT, first.version)).maxIterations).toBe(3);
    expect(await settingsAt(AGENT, null)).toEqual(defaultSettings(AGENT));

    const history = await settingsHistory(AGENT);
    expect(history.slice(0, 2)).toMatchObject([
      {
        version: second.version,
        by: "admin@example.com",
        reason: "Cheaper model, one more step",
        settings: { maxIterations: 4, tier: "small" },
      },
      {
        version: first.version,
        by: "admin@example.com",
        reason: "Fewer steps while we watch it",
        settings: { maxIterations: 3 },
      },
    ]);
    expect(Date.now() - new Date(history[0]!.at).getTime()).toBeLessThan(60_000);
  });

  it("refuses an irreversible tool set to auto, naming the tool, and saves nothing", async () => {
    const admin = await actorFor("admin@example.com");
    const before = await effectiveSettings(AGENT);
    const settings = {
      ...defaultSettings(AGENT),
      toolPolicies: {
        ...defaultSettings(AGENT).toolPolicies,
        send_password_reset: "auto" as const,
      },
    };
    const error = await rejection(
      saveSettings(admin, { agent: AGENT, settings, reason: "Let resets go out unattended" }),
    );
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe(
      "send_password_reset is irreversible and can never run without approval",
    );
    expect((await effectiveSettings(AGENT)).version).toBe(before.version);
  });

  it("refuses policies for tools the agent does not have, and tools left without a policy", async () => {
    const admin = await actorFor("admin@example.com");
    const settings = {
      ...defaultSettings(AGENT),
      toolPolicies: { lookup_customer: "auto" as const, issue_refund: "deny" as const },
    };
    const error = await rejection(
      saveSettings(admin, { agent: AGENT, settings, reason: "Mixed up the agents" }),
    );
    expect(error.message).toContain("send_password_reset: choose a policy");
    expect(error.message).toContain("issue_refund is not a tool of accounts");
  });

  it("lets only one of two admins saving on the same version win; the other is told to reload", async () => {
    const admin = await actorFor("admin@example.com");
    const current = await effectiveSettings(AGENT);
    const save = (reason: string) =>
      saveSettings(
        admin,
        { agent: AGENT, settings: current.settings, reason },
        current.version,
      ).then(
        (saved) => ({ ok: true as const, version: saved.version }),
        (error: unknown) => ({ ok: false as const, code: (error as AppError).code }),
      );
    const outcomes = await Promise.all([save("test: first admin"), save("test: second admin")]);
    expect(outcomes.filter((o) => o.ok)).toEqual([{ ok: true, version: current.version + 1 }]);
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, code: "conflict" }]);
    expect((await effectiveSettings(AGENT)).version).toBe(current.version + 1);
    // A save still based on the replaced version is refused in the transaction that would write it.
    expect(await save("test: a late third admin")).toEqual({ ok: false, code: "conflict" });
    expect((await effectiveSettings(AGENT)).version).toBe(current.version + 1);
  });

  it("has a schema that refuses out-of-range and malformed values", () => {
    const valid = { agent: AGENT, settings: defaultSettings(AGENT), reason: "A good reason" };
    expect(saveSettingsInput.safeParse(valid).success).toBe(true);
    const refusedAt = (input: unknown) =>
      saveSettingsInput.safeParse(input).error?.issues.map((i) => i.path.join("."));
    expect(refusedAt({ ...valid, settings: { ...valid.settings, maxIterations: 0 } })).toEqual([
      "settings.maxIterations",
    ]);
    expect(
      refusedAt({ ...valid, settings: { ...valid.settings, confidenceThreshold: 1.5 } }),
    ).toEqual(["settings.confidenceThreshold"]);
    expect(refusedAt({ ...valid, settings: { ...valid.settings, onLoop: "ignore" } })).toEqual([
      "settings.onLoop",
    ]);
    expect(refusedAt({ ...valid, agent: "payments" })).toEqual(["agent"]);
    expect(refusedAt({ ...valid, agent: "constructor" })).toEqual(["agent"]);
    expect(describeIssues(saveSettingsInput.safeParse({ ...valid, reason: "  " }).error!)).toBe(
      "Say why you are changing the settings",
    );
  });
});

describe("the saveAgentSettings admin action", () => {
  it("saves for an admin only, refusing reviewers before anything is written", async () => {
    signedIn.actor = await actorFor("reviewer@example.com");
    const current = await effectiveSettings(AGENT);
    const input = {
      agent: AGENT,
      settings: { ...current.settings, loopThreshold: 5 },
      reason: "Allow more repeats",
      basedOnVersion: current.version,
    };
    expect(await saveAgentSettings(input)).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect((await effectiveSettings(AGENT)).version).toBe(current.version);

    signedIn.actor = await actorFor("admin@example.com");
    const saved = await saveAgentSettings(input);
    expect(saved).toMatchObject({
      ok: true,
      data: { agent: AGENT, version: current.version + 1, settings: { loopThreshold: 5 } },
    });
  });

  it("refuses bad values with messages that name the field as the form labels it, saving nothing", async () => {
    signedIn.actor = await actorFor("admin@example.com");
    const current = await effectiveSettings(AGENT);
    const save = async (settings: unknown, reason = "Testing refusals") => {
      const result = await saveAgentSettings({
        agent: AGENT,
        settings,
        reason,
        basedOnVersion: current.version,
      });
      expect(result.ok).toBe(false);
      return !result.ok && result.error;
    };
    const s = current.settings;
    expect(await save({ ...s, maxIterations: 51 })).toMatchObject({
      code: "invalid_input",
      message: "Max iterations must be at most 50",
    });
    expect(await save({ ...s, maxIterations: 2.5 })).toMatchObject({
      message: "Max iterations must be a whole number",
    });
    expect(await save({ ...s, maxCostMicros: 200_000_000 })).toMatchObject({
      message: "Cost budget in dollars must be at most $100.00",
    });
    expect(
      await save({ ...s, confidenceThreshold: -0.1, contextBudgetTokens: "lots" }),
    ).toMatchObject({
      message: "Confidence threshold must be at least 0; Context budget in tokens must be a number",
    });
    expect(await save({ ...s, onLoop: "ignore" })).toMatchObject({
      message: "On loop must be one of terminate, escalate",
    });
    expect(
      await save({ ...s, toolPolicies: { ...s.toolPolicies, lookup_customer: "sometimes" } }),
    ).toMatchObject({
      message: "The policy of lookup_customer must be one of auto, require_approval, deny",
    });
    expect(await save(s, "")).toMatchObject({ message: "Say why you are changing the settings" });
    expect(
      await save({ ...s, toolPolicies: { ...s.toolPolicies, send_password_reset: "auto" } }),
    ).toMatchObject({
      code: "invalid_input",
      message: "send_password_reset is irreversible and can never run without approval",
    });
    expect((await effectiveSettings(AGENT)).version).toBe(current.version);
  });

  it("refuses a save based on a version someone else has since replaced", async () => {
    signedIn.actor = await actorFor("admin@example.com");
    const current = await effectiveSettings(AGENT);
    const stale = await saveAgentSettings({
      agent: AGENT,
      settings: current.settings,
      reason: "Edited an old page",
      basedOnVersion: current.version - 1,
    });
    expect(stale).toMatchObject({
      ok: false,
      error: {
        code: "conflict",
        message: expect.stringContaining(`now version ${current.version}`),
      },
    });
    expect((await effectiveSettings(AGENT)).version).toBe(current.version);
  });
});
