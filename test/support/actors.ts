import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";

export async function actorFor(email: string): Promise<Actor> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
