// The /admin/policy page's server actions: admins only (each action checks for itself), a save
// that names the version it replaces (someone else's save first is said in words), an invalid
// document that names the field and changes nothing, and a simulation over recorded calls.
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { actorFor } from "../support/actors";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const { savePolicyAction, simulatePolicyAction } = await import("@/lib/policy/actions");
const { activePolicy } = await import("@/lib/policy/versions");

const twoAbove100 = {
  id: "two-above-100",
  name: "Refunds above €100 need two people",
  tools: ["issue_refund"],
  when: [{ argument: "amount_cents", op: "gt", value: 10000 }],
  effect: { approvals: 2 },
};

// No rule saved here may gate another file's runs on the shared database.
afterAll(async () => {
  const { savePolicy } = await import("@/lib/policy/versions");
  await savePolicy(await actorFor("admin@example.com"), {
    document: { rules: [] },
    replaces: (await activePolicy()).version,
    reason: "test: no rules left",
  });
  signedIn.actor = null;
});

describe("the policy page's actions", () => {
  it("refuse a reviewer, for saving and for simulating", async () => {
    signedIn.actor = await actorFor("reviewer@example.com");
    const before = (await activePolicy()).version;
    const save = await savePolicyAction({
      replaces: before,
      reason: "not mine to change",
      rules: [],
    });
    expect(save).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await simulatePolicyAction({ rules: [], days: 7 })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect((await activePolicy()).version).toBe(before);
  });

  it("save a new version, refuse a stale one in words, and refuse an invalid document naming the field", async () => {
    signedIn.actor = await actorFor("admin@example.com");
    const before = (await activePolicy()).version;
    const saved = await savePolicyAction({
      replaces: before,
      reason: "four-eyes for big refunds",
      rules: [twoAbove100],
    });
    expect(saved).toMatchObject({
      ok: true,
      data: { version: before + 1, savedBy: "admin@example.com" },
    });

    const stale = await savePolicyAction({
      replaces: before,
      reason: "edited the old version",
      rules: [],
    });
    expect(stale).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(!stale.ok && stale.error.message).toMatch(
      new RegExp(`at version ${before + 1} \\(saved by admin@example.com`),
    );

    const invalid = await savePolicyAction({
      replaces: before + 1,
      reason: "a typo",
      rules: [{ ...twoAbove100, when: [{ argument: "amount_cents", op: "gt", value: "100" }] }],
    });
    expect(invalid).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(!invalid.ok && invalid.error.message).toMatch(/^rules\.0\.when\.0\.value: /);
    expect((await activePolicy()).version).toBe(before + 1);
    expect(await savePolicyAction({ replaces: before + 1, reason: "x", rules: [] })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
  });

  it("keep the tools with automatic approvals off when the page saves the document", async () => {
    signedIn.actor = await actorFor("admin@example.com");
    const before = (await activePolicy()).version;
    const saved = await savePolicyAction({
      replaces: before,
      reason: "no grants for refunds",
      rules: [twoAbove100],
      grantsOff: ["issue_refund"],
    });
    expect(saved).toMatchObject({ ok: true, data: { version: before + 1 } });
    expect((await activePolicy()).document).toMatchObject({
      rules: [twoAbove100],
      grantsOff: ["issue_refund"],
    });
  });

  it("simulate a draft over the recorded calls, beside the rules in force", async () => {
    signedIn.actor = await actorFor("admin@example.com");
    const calls = await db.toolCall.count({
      where: {
        createdAt: { gte: new Date(Date.now() - 30 * 86_400_000) },
        run: { mode: "live", agent: { not: null } },
      },
    });
    const denyAll = {
      id: "deny-all",
      name: "Refuse every call",
      effect: { deny: "Nothing today." },
    };
    const result = await simulatePolicyAction({ rules: [denyAll], days: 30 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.data.draft).toMatchObject({ calls, denied: calls, auto: 0, waits: 0 });
    expect(result.data.current.calls).toBe(calls);
    expect(await simulatePolicyAction({ rules: [denyAll], days: 0 })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
  });
});
