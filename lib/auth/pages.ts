import "server-only";
import { redirect } from "next/navigation";
import { currentActor, type Actor } from "./actor";
import { SURFACE_ROLES } from "./roles";

export type Surface = keyof typeof SURFACE_ROLES;

/**
 * For pages: the signed-in actor if they may use this surface; a redirect to sign in if not
 * signed in; `refused` (rendered as a clear refusal) if their role may not.
 */
export async function pageActor(
  surface: Surface,
  path: string,
): Promise<{ actor: Actor; refused: boolean }> {
  const actor = await currentActor();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return { actor, refused: !(SURFACE_ROLES[surface] as readonly string[]).includes(actor.role) };
}
