// /account's standing permissions: each reviewer lists their own grants (an admin every one), and
// revokes one at once through the server action, which checks for itself who may.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { actorFor } from "../support/actors";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const { revokeGrantAction } = await import("@/lib/policy/actions");
const { grantsFor } = await import("@/lib/policy/grant-store");

afterAll(() => {
  signedIn.actor = null;
});

async function grantBy(email: string) {
  const reviewer = await actorFor(email);
  const customer = await actorFor("user@example.com");
  return db.approvalGrant.create({
    data: {
      agent: "refunds",
      tool: "issue_refund",
      subjectId: customer.id,
      bounds: { amount_cents: { lte: 5000 } },
      grantedById: reviewer.id,
      grantedByEmail: reviewer.email,
      sourceApprovalId: randomUUID(),
      expiresAt: new Date(Date.now() + 3_600_000),
      usesLeft: 3,
    },
  });
}

describe("standing permissions on /account", () => {
  it("are listed for their reviewer (every one for an admin) with the customer, and revoked only by their reviewer or an admin", async () => {
    const mine = await grantBy("reviewer@example.com");
    const theirs = await grantBy("reviewer2@example.com");
    const riley = await actorFor("reviewer@example.com");

    const listed = await grantsFor(riley);
    expect(listed.map((g) => g.id)).toContain(mine.id);
    expect(listed.map((g) => g.id)).not.toContain(theirs.id);
    expect(listed.find((g) => g.id === mine.id)).toMatchObject({
      customer: "user@example.com",
      usesLeft: 3,
      revokedAt: null,
    });
    expect((await grantsFor(await actorFor("admin@example.com"))).map((g) => g.id)).toEqual(
      expect.arrayContaining([mine.id, theirs.id]),
    );

    signedIn.actor = await actorFor("user@example.com");
    expect(await revokeGrantAction({ grantId: mine.id })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    signedIn.actor = riley;
    expect(await revokeGrantAction({ grantId: theirs.id })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await revokeGrantAction({ grantId: "not-a-grant" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
    expect(
      (await db.approvalGrant.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt,
    ).toBeNull();

    expect(await revokeGrantAction({ grantId: mine.id })).toMatchObject({ ok: true });
    expect(await db.approvalGrant.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      revokedByEmail: "reviewer@example.com",
    });
    signedIn.actor = await actorFor("admin@example.com");
    expect(await revokeGrantAction({ grantId: theirs.id })).toMatchObject({ ok: true });
  });
});
