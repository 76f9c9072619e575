import "server-only";
import { getServerSession } from "next-auth";
import { connection } from "next/server";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { authOptions } from "./options";

export type Actor = { id: string; email: string; name: string; role: Role };

/**
 * The signed-in user, read from the database on every call, so a deactivated account or a
 * changed role takes effect on the next request.
 */
export async function currentActor(): Promise<Actor | null> {
  await connection(); // per-request, never prerendered
  const session = await getServerSession(authOptions);
  const uid = (session as { uid?: unknown } | null)?.uid;
  if (typeof uid !== "string") return null;
  const user = await db.user.findUnique({ where: { id: uid }, select: { id: true, email: true, name: true, role: true, active: true } });
  if (!user?.active) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function requireActor(roles: readonly Role[]): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw new AppError("unauthenticated", "Please sign in again.");
  if (!roles.includes(actor.role)) throw new AppError("forbidden", "Your account does not have access to this.");
  return actor;
}
