import "server-only";
import { randomBytes } from "node:crypto";
import type { Role } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { hashPassword } from "./password";

// Single sign-on with the company's OpenID Connect provider (next-auth's OAuth provider in
// lib/auth/options.ts). The provider says who someone is and, through a claim, what they are:
// OIDC_ROLE_MAP turns claim values into roles (the highest wins), and the role is set again at
// every sign-in, so the provider stays the source of truth. Someone it maps to no role is refused
// (unless OIDC_DEFAULT_ROLE says otherwise); a deactivated account stays refused whatever the
// provider says.

const RANK: Record<Role, number> = { user: 1, reviewer: 2, admin: 3 };

export const ssoEnabled = () => Boolean(env().OIDC_ISSUER);
export const passwordSignInEnabled = () => env().COUNTERSIGN_PASSWORD_SIGNIN !== "0";

/** The role the provider's claims give, or null. */
export function roleFromClaims(claims: Record<string, unknown>): Role | null {
  const { OIDC_ROLE_CLAIM, OIDC_ROLE_MAP, OIDC_DEFAULT_ROLE } = env();
  const raw = claims[OIDC_ROLE_CLAIM];
  const values = (Array.isArray(raw) ? raw : [raw]).filter(
    (v): v is string => typeof v === "string",
  );
  const roles = values.map((v) => OIDC_ROLE_MAP[v]).filter((r): r is Role => Boolean(r));
  if (!roles.length) return OIDC_DEFAULT_ROLE ?? null;
  return roles.sort((a, b) => RANK[b] - RANK[a])[0]!;
}

export type SsoProfile = { email?: unknown; email_verified?: unknown; name?: unknown } & Record<
  string,
  unknown
>;

/**
 * The account a provider's sign-in lands in: found by email or created, with the role the claims
 * give. Null when it must be refused (no verified email, no role, deactivated).
 */
export async function accountForSso(
  profile: SsoProfile,
): Promise<{ id: string; email: string; name: string; sessionVersion: number } | null> {
  if (typeof profile.email !== "string" || profile.email_verified === false) return null;
  const role = roleFromClaims(profile);
  if (!role) return null;
  const email = profile.email.toLowerCase();
  const name =
    typeof profile.name === "string" && profile.name.trim()
      ? profile.name.trim().slice(0, 120)
      : email;
  const existing = await db.user.findUnique({ where: { email } });
  if (existing && !existing.active) return null;
  const user = existing
    ? await db.user.update({ where: { id: existing.id }, data: { role, name } })
    : // No password works for an account the provider made: a random one, never shown.
      await db.user.create({
        data: {
          email,
          name,
          role,
          passwordHash: await hashPassword(randomBytes(32).toString("base64url")),
        },
      });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}
