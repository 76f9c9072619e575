import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export const setActiveInput = z.object({ userId: z.uuid(), active: z.boolean() });

export async function listUsers() {
  const users = await db.user.findMany({ orderBy: [{ role: "asc" }, { email: "asc" }], select: { id: true, email: true, name: true, role: true, active: true } });
  return users;
}

/** Deactivation takes effect on the user's next request: every request reads the flag. */
export async function setUserActive(actor: Actor, input: z.infer<typeof setActiveInput>) {
  if (input.userId === actor.id) throw new AppError("forbidden", "You cannot deactivate your own account.");
  const updated = await db.user.updateMany({ where: { id: input.userId }, data: { active: input.active } });
  if (updated.count === 0) throw new AppError("not_found", "No such user.");
  return { userId: input.userId, active: input.active };
}
