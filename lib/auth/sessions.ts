import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";

// What a session token says about its session, and whether that session still stands.
// Sessions are stateless JWTs; two records make them revocable on the server:
//  - users.session_version, carried as `sv`: bumped on deactivation, so every session issued
//    before it is refused for good (a reactivated account does not get them back);
//  - ended_sessions, by the token's own `sid`: written on sign-out, kept until the token would
//    have expired anyway.

export const SESSION_MAX_AGE_SECONDS = 8 * 3600;

const signedInUser = z.object({ id: z.string(), sessionVersion: z.number().int() });
export const sessionClaimsSchema = z.object({
  uid: z.uuid(),
  sv: z.number().int().nonnegative(),
  sid: z.uuid(),
});
export type SessionClaims = z.infer<typeof sessionClaimsSchema>;

/** The claims for a new session of the user authorize() returned. */
export function sessionClaims(user: unknown, sessionId: string): SessionClaims {
  const parsed = signedInUser.parse(user);
  return { uid: parsed.id, sv: parsed.sessionVersion, sid: sessionId };
}

/** Records the session as ended (sign-out). A token without our claims has nothing to end. */
export async function endSession(token: unknown): Promise<void> {
  const claims = sessionClaimsSchema.safeParse(token);
  if (!claims.success) return;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
  await db.endedSession.upsert({
    where: { sessionId: claims.data.sid },
    update: {},
    create: { sessionId: claims.data.sid, userId: claims.data.uid, expiresAt },
  });
  // Entries past any token's lifetime are only clutter.
  await db.endedSession.deleteMany({ where: { expiresAt: { lt: now } } });
}
