// Candidate settings versions: a saved version that is not active changes nothing for new runs;
// activating it records the gate's verdict in the version history and the audit trail.
import { afterAll, describe, expect, it } from "vitest";
import {
  activateVersion,
  defaultSettings,
  effectiveSettings,
  saveSettings,
  settingsAt,
  settingsHistory,
} from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import { actorFor } from "../support/actors";

// The shipping agent: no other test file changes its settings.
const AGENT = "shipping";

afterAll(async () => {
  const admin = await actorFor("admin@example.com");
  await saveSettings(admin, {
    agent: AGENT,
    settings: defaultSettings(AGENT),
    reason: "Restore the defaults after the candidate tests",
  });
});

describe("candidate versions", () => {
  it("keeps a candidate out of new runs until it is activated, and records how it was activated", async () => {
    const admin = await actorFor("admin@example.com");
    const before = await effectiveSettings(AGENT);
    const candidate = await saveSettings(
      admin,
      {
        agent: AGENT,
        settings: { ...defaultSettings(AGENT), maxIterations: 2 },
        reason: "Try fewer steps",
      },
      undefined,
      { activate: false },
    );
    expect(candidate.active).toBe(false);
    expect(candidate.version).toBeGreaterThan(before.version);
    expect(await effectiveSettings(AGENT)).toEqual(before);
    expect((await settingsAt(AGENT, candidate.version)).maxIterations).toBe(2);

    await activateVersion(admin, {
      agent: AGENT,
      version: candidate.version,
      verdict: {
        gate: "overridden",
        overrideReason: "Known flaky case",
        evalRunId: null,
        failedCases: ["golden/x"],
      },
    });
    expect((await effectiveSettings(AGENT)).version).toBe(candidate.version);

    const history = await settingsHistory(AGENT);
    const row = history.find((h) => h.version === candidate.version)!;
    expect(row.active).toBe(true);
    expect(row.activations[0]).toMatchObject({
      gate: "overridden",
      overrideReason: "Known flaky case",
      failedCases: ["golden/x"],
      by: "admin@example.com",
    });
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { action: "agent_settings_activated" },
      orderBy: { seq: "desc" },
    });
    expect(audit.payload).toMatchObject({
      agent: AGENT,
      version: candidate.version,
      gate: "overridden",
      overrideReason: "Known flaky case",
    });

    // Back to the previous version: activation, not a new save.
    await activateVersion(admin, {
      agent: AGENT,
      version: before.version,
      verdict: { gate: "not_checked" },
    });
    expect((await effectiveSettings(AGENT)).version).toBe(before.version);
    await expect(
      activateVersion(admin, { agent: AGENT, version: 9_999, verdict: { gate: "not_checked" } }),
    ).rejects.toThrow(/no settings version 9999/);
  });

  it("saves and activates by default, numbering after any candidate", async () => {
    const admin = await actorFor("admin@example.com");
    const candidate = await saveSettings(
      admin,
      { agent: AGENT, settings: defaultSettings(AGENT), reason: "A candidate" },
      undefined,
      { activate: false },
    );
    const active = await effectiveSettings(AGENT);
    const saved = await saveSettings(
      admin,
      {
        agent: AGENT,
        settings: { ...defaultSettings(AGENT), maxIterations: 5 },
        reason: "Save and activate",
      },
      active.version,
    );
    expect(saved.version).toBe(candidate.version + 1);
    expect(await effectiveSettings(AGENT)).toMatchObject({ version: saved.version });
  });
});
