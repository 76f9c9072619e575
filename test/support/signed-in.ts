// The one stand-in for "who is signed in" in tests that call route handlers and server actions
// in-process (there is no browser session there). A test sets `signedIn.actor`; the guards then
// authenticate and authorise exactly as they would for that session. Use it as:
//   vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
import type { Actor } from "@/lib/auth/actor";

export const signedIn: { actor: Actor | null } = { actor: null };

export async function actorModuleMock() {
  const { AppError } = await import("@/lib/errors");
  const requireActor = async (roles: readonly string[]) => {
    if (!signedIn.actor) throw new AppError("unauthenticated", "Please sign in again.");
    if (!roles.includes(signedIn.actor.role))
      throw new AppError("forbidden", "Your account does not have access to this.");
    return signedIn.actor;
  };
  return { requireActor, currentActor: async () => signedIn.actor };
}
