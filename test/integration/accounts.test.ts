// Accounts and sessions: deactivation ends sessions and tokens for good, sign-out ends one
// session on the server, the last active admin stays, and every admin action is audited.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { setShopFaultAudited } from "@/agents/demo-shop/admin";
import { setUserActive } from "@/lib/admin/users";
import { defaultSettings, saveSettings } from "@/lib/agent-settings/settings";
import { listAuditEntries, verifyStoredChain } from "@/lib/audit/queries";
import { actorForSession, type Actor } from "@/lib/auth/actor";
import { authOptions } from "@/lib/auth/options";
import { endSession, sessionClaims } from "@/lib/auth/sessions";
import { issueApiToken, requireTokenActor, TOKEN_SCOPES } from "@/lib/auth/tokens";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { actorFor } from "../support/actors";

async function newUser(role: Role): Promise<Actor> {
  const user = await db.user.create({
    data: {
      email: `acct-${role}-${randomUUID().slice(0, 8)}@example.test`,
      name: `Acct ${role}`,
      passwordHash: "not-a-login",
      role,
    },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The claims next-auth's jwt callback puts in a new session token for this user. */
async function signedInClaims(actor: Actor) {
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id } });
  const jwt = authOptions.callbacks!.jwt!;
  const token = await jwt({
    token: {},
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      sessionVersion: user.sessionVersion,
    } as never,
    account: null,
    trigger: "signIn",
  });
  return sessionClaims({ id: token.uid, sessionVersion: token.sv }, String(token.sid));
}

const lastAudit = (action: string) =>
  db.auditEntry.findFirstOrThrow({ where: { action }, orderBy: { seq: "desc" } });

afterAll(async () => {
  // Leave exactly the seeded admin active, whatever a test did.
  await db.user.updateMany({
    where: { role: "admin", email: { not: "admin@example.com" } },
    data: { active: false },
  });
  await db.user.update({ where: { email: "admin@example.com" }, data: { active: true } });
});

describe("sessions", () => {
  it("carry the session version and their own id, and stand while the account does", async () => {
    const reviewer = await newUser("reviewer");
    const claims = await signedInClaims(reviewer);
    expect(claims).toMatchObject({ uid: reviewer.id, sv: 0, sid: expect.any(String) });
    expect(await actorForSession(claims)).toMatchObject({ id: reviewer.id });
  });

  it("end on sign-out, on the server: that session is refused, another of the same user is not", async () => {
    const reviewer = await newUser("reviewer");
    const [laptop, phone] = [await signedInClaims(reviewer), await signedInClaims(reviewer)];
    await authOptions.events!.signOut!({ token: { ...laptop }, session: null as never });
    expect(await actorForSession(laptop)).toBeNull();
    expect(await actorForSession(phone)).toMatchObject({ id: reviewer.id });
    // Ending it twice is harmless; a token without our claims has nothing to end.
    await endSession(laptop);
    await endSession({ sub: "x" });
  });

  it("and tokens end for good on deactivation: reactivating the account does not bring them back", async () => {
    const admin = await actorFor("admin@example.com");
    const reviewer = await newUser("reviewer");
    const before = await signedInClaims(reviewer);
    const { token } = await issueApiToken(reviewer, {
      name: "old",
      expiresInDays: 30,
      scopes: [...TOKEN_SCOPES],
    });
    await setUserActive(admin, { userId: reviewer.id, active: false });
    expect(await actorForSession(before)).toBeNull();
    await setUserActive(admin, { userId: reviewer.id, active: true });
    expect(await actorForSession(before)).toBeNull();
    await expect(requireTokenActor(`Bearer ${token}`, ["reviewer"], "read")).rejects.toMatchObject({
      code: "unauthenticated",
      message: expect.stringMatching(/revoked/),
    });
    // Signing in again gives a session that works.
    expect(await actorForSession(await signedInClaims(reviewer))).toMatchObject({
      id: reviewer.id,
    });
    const deactivated = await lastAudit("user_deactivated");
    expect(deactivated).toMatchObject({
      actorEmail: admin.email,
      payload: {
        userId: reviewer.id,
        before: { active: true },
        after: { active: false },
        tokensRevoked: 1,
        sessionsEnded: true,
      },
    });
    expect(await lastAudit("user_reactivated")).toMatchObject({
      payload: { userId: reviewer.id, before: { active: false }, after: { active: true } },
    });
    const shown = (await listAuditEntries({})).entries.find((e) => e.seq === deactivated.seq);
    expect(shown?.summary).toBe(`${reviewer.email} active: true → false`);
  });

  it("refuse a session token from before session versions (no version or id)", async () => {
    const reviewer = await newUser("reviewer");
    const { sessionClaimsSchema } = await import("@/lib/auth/sessions");
    expect(sessionClaimsSchema.safeParse({ uid: reviewer.id }).success).toBe(false);
  });
});

describe("the last active admin", () => {
  it("cannot be deactivated, even by two admins deactivating each other at the same moment", async () => {
    const [first, second] = [await newUser("admin"), await newUser("admin")];
    // Only these two are active admins for this test.
    await db.user.updateMany({
      where: { role: "admin", id: { notIn: [first.id, second.id] } },
      data: { active: false },
    });
    const outcomes = await Promise.allSettled([
      setUserActive(first, { userId: second.id, active: false }),
      setUserActive(second, { userId: first.id, active: false }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(refused?.reason).toMatchObject({
      code: expect.stringMatching(/^(forbidden|conflict)$/),
    });
    expect(await db.user.count({ where: { role: "admin", active: true } })).toBe(1);
  });

  it("is refused with a clear message, and nothing changes", async () => {
    const [only, other] = [await newUser("admin"), await newUser("admin")];
    await db.user.updateMany({
      where: { role: "admin", id: { not: only.id } },
      data: { active: false },
    });
    // `other` is deactivated but still holds an old actor: it may not act, and `only` stays.
    await expect(setUserActive(other, { userId: only.id, active: false })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: only.id } })).toMatchObject({
      active: true,
      sessionVersion: 0,
    });
    await expect(setUserActive(only, { userId: only.id, active: false })).rejects.toMatchObject({
      code: "forbidden",
    });
    await db.user.update({ where: { email: "admin@example.com" }, data: { active: true } });
  });
});

describe("admin actions", () => {
  it("are appended to the hash-chained audit trail with who, what, before and after", async () => {
    const admin = await actorFor("admin@example.com");
    await setShopFaultAudited(admin, {
      operation: "send_email",
      mode: "upstream_error",
      remaining: 2,
    });
    await setShopFaultAudited(admin, { operation: "send_email", mode: null, remaining: null });
    const switchedOff = await lastAudit("shop_fault_set");
    expect(switchedOff).toMatchObject({
      actorEmail: admin.email,
      payload: {
        operation: "send_email",
        before: { mode: "upstream_error", remaining: 2 },
        after: { mode: null, remaining: null },
      },
    });

    const saved = await saveSettings(admin, {
      agent: "support",
      settings: { ...defaultSettings("support"), maxIterations: 5 },
      reason: "Audit test: fewer steps",
    });
    await saveSettings(admin, {
      agent: "support",
      settings: defaultSettings("support"),
      reason: "Audit test: restore",
    });
    const entry = await db.auditEntry.findFirstOrThrow({
      where: {
        action: "agent_settings_saved",
        AND: [
          { payload: { path: ["after", "version"], equals: saved.version } },
          { payload: { path: ["agent"], equals: "support" } },
        ],
      },
    });
    expect(entry).toMatchObject({
      actorEmail: admin.email,
      payload: {
        agent: "support",
        reason: "Audit test: fewer steps",
        before: { version: saved.version - 1 },
        after: { settings: { maxIterations: 5 } },
      },
    });

    const verdict = await verifyStoredChain();
    expect(verdict.broken).toBeNull();
  });
});
