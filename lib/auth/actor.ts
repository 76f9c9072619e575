import "server-only";
import { getServerSession } from "next-auth";
import { connection } from "next/server";
import { cache } from "react";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { authOptions } from "./options";
import { sessionClaimsSchema, sessionEnded, type SessionClaims } from "./sessions";

export type Actor = { id: string; email: string; name: string; role: Role };

/**
 * The user a session's claims stand for, read from the database on every call: a deactivated
 * account, a changed role, a session issued before the last deactivation (stale version) or a
 * session ended by signing out takes effect on the next request.
 */
export async function actorForSession(claims: SessionClaims): Promise<Actor | null> {
  const [user, ended] = await Promise.all([
    db.user.findUnique({
      where: { id: claims.uid },
      select: { id: true, email: true, name: true, role: true, active: true, sessionVersion: true },
    }),
    sessionEnded(claims.sid),
  ]);
  if (!user?.active || user.sessionVersion !== claims.sv || ended) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The signed-in user of this request, or null; read once per render (the layout and the page share it). */
export const currentActor = cache(async function currentActor(): Promise<Actor | null> {
  await connection(); // per-request, never prerendered
  // A session from before session versions existed has no `sv`/`sid`: it is refused, not trusted.
  const claims = sessionClaimsSchema.safeParse(await getServerSession(authOptions));
  return claims.success ? actorForSession(claims.data) : null;
});

export async function requireActor(roles: readonly Role[]): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw new AppError("unauthenticated", "Please sign in again.");
  if (!roles.includes(actor.role))
    throw new AppError("forbidden", "Your account does not have access to this.");
  return actor;
}
