import "server-only";
import { sql } from "kysely";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { builder, rows } from "@/lib/store";

export const setActiveInput = z.object({
  userId: z.uuid({ message: "No such user." }),
  active: z.boolean({ message: "Say whether the account should be active" }),
});

export async function listUsers() {
  const users = await db.user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    select: { id: true, email: true, name: true, role: true, active: true },
  });
  return users;
}

// An account's row as the deactivation checks read it, locked by the caller's transaction.
const lockedUsers = () =>
  builder
    .selectFrom("users")
    .select(["id", "email", sql<string>`role::text`.as("role"), "active"])
    .forUpdate();

/**
 * Activates or deactivates an account, audited. Deactivation ends every session and revokes
 * every token of the account for good: the session version is bumped (so session tokens
 * issued before it are refused even after a reactivation) and its tokens are revoked.
 *
 * The last active admin cannot be deactivated. The admins' rows are locked first, in one
 * order, so two admins deactivating each other at once are serialised and the second is refused.
 */
export async function setUserActive(actor: Actor, input: z.infer<typeof setActiveInput>) {
  if (input.userId === actor.id)
    throw new AppError("forbidden", "You cannot deactivate your own account.");
  return db.$transaction(async (tx) => {
    const admins = await rows(tx, lockedUsers().where("role", "=", "admin").orderBy("id"));
    const target =
      admins.find((a) => a.id === input.userId) ??
      (await rows(tx, lockedUsers().where("id", "=", input.userId)))[0];
    if (!target) throw new AppError("not_found", "No such user.");
    // Checked again under the lock: an admin deactivated a moment ago acts no more.
    if (!admins.some((a) => a.id === actor.id && a.active))
      throw new AppError("forbidden", "Your account is no longer an active admin.");
    if (target.active === input.active) return { userId: target.id, active: target.active };
    if (
      !input.active &&
      target.role === "admin" &&
      !admins.some((a) => a.active && a.id !== target.id)
    ) {
      throw new AppError(
        "conflict",
        `${target.email} is the last active admin and cannot be deactivated. Make another admin active first.`,
      );
    }
    let tokensRevoked = 0;
    if (input.active) {
      await tx.user.update({ where: { id: target.id }, data: { active: true } });
    } else {
      await tx.user.update({
        where: { id: target.id },
        data: { active: false, sessionVersion: { increment: 1 } },
      });
      tokensRevoked = (
        await tx.apiToken.updateMany({
          where: { userId: target.id, revokedAt: null },
          data: { revokedAt: new Date() },
        })
      ).count;
    }
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: input.active ? "user_reactivated" : "user_deactivated",
      payload: {
        userId: target.id,
        email: target.email,
        role: target.role,
        before: { active: target.active },
        after: { active: input.active },
        ...(!input.active && { sessionsEnded: true, tokensRevoked }),
      },
    });
    return { userId: target.id, active: input.active };
  });
}
