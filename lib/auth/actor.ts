import "server-only";
import { getServerSession } from "next-auth";
import { connection } from "next/server";
import { cache } from "react";
import { db } from "@/lib/db";
import { prepared } from "@/lib/store";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { authOptions } from "./options";
import { sessionClaimsSchema, type SessionClaims } from "./sessions";

export type Actor = { id: string; email: string; name: string; role: Role };

/**
 * The user a session's claims stand for, read from the database on every call: a deactivated
 * account, a changed role, a session issued before the last deactivation (stale version) or a
 * session ended by signing out takes effect on the next request. One statement (the account and
 * the ended-session check together, prepared on the pg pool): every authenticated request pays
 * for it, and under load each round trip more waits for the event loop and a connection.
 */
export async function actorForSession(claims: SessionClaims): Promise<Actor | null> {
  const [user] = await prepared<Actor>(
    db,
    Prisma.sql`select u.id::text as id, u.email, u.name, u.role::text as role from users u
      where u.id = ${claims.uid}::uuid and u.active and u.session_version = ${claims.sv}::int
        and not exists (select 1 from ended_sessions e where e.session_id = ${claims.sid}::uuid)`,
  );
  return user ? { id: user.id, email: user.email, name: user.name, role: user.role } : null;
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
