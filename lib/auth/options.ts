import "server-only";
import { randomUUID } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { clientAddress, FORWARDED_FOR } from "@/lib/client-address";
import { credentialsInput } from "./inputs";
import { DUMMY_HASH, verifyPassword } from "./password";
import { decodeSessionToken, encodeSessionToken } from "./session-token";
import { endSession, SESSION_MAX_AGE_SECONDS, sessionClaims } from "./sessions";
import { accountForSso, passwordSignInEnabled, ssoEnabled, type SsoProfile } from "./sso";
import { throttledPasswordCheck } from "./throttle";

/** The throttled address of a request whose headers next-auth hands over as a plain object. */
export function requestAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.[FORWARDED_FOR];
  return clientAddress(
    typeof forwarded === "string" ? forwarded : undefined,
    env().COUNTERSIGN_TRUSTED_PROXIES,
  );
}

export const authOptions: NextAuthOptions = {
  // Read on first request, not at import: `next build` imports this without a secret.
  get secret() {
    return env().NEXTAUTH_SECRET;
  },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // next-auth's token format, with its key derived once per secret (lib/auth/session-token.ts).
  jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
  pages: { signIn: "/signin", error: "/signin" },
  // Read per request, not at import: single sign-on and password sign-in follow the environment.
  get providers() {
    return [
      ...(passwordSignInEnabled() ? [passwordProvider] : []),
      ...(ssoEnabled() ? [ssoProvider()] : []),
    ];
  },
  callbacks: {
    // A provider's sign-in lands in the account its claims map to, or is refused (lib/auth/sso.ts).
    async signIn({ account, profile }) {
      if (account?.provider !== SSO_PROVIDER) return true;
      return (await accountForSso((profile ?? {}) as SsoProfile)) !== null;
    },
    // The token carries the user's id, the session version it was issued under and its own id:
    // role and active flag are read fresh on every request, and a stale version or an ended
    // session is refused (lib/auth/actor.ts).
    async jwt({ token, user, account }) {
      if (!user) return token;
      if (account?.provider !== SSO_PROVIDER)
        return { ...token, ...sessionClaims(user, randomUUID()) };
      // The provider's user is its subject; the session is for the account signIn provisioned.
      const provisioned = await db.user.findUnique({
        where: { email: String(user.email ?? "").toLowerCase() },
      });
      if (!provisioned) throw new Error("single sign-on: the account was not provisioned");
      return { ...token, ...sessionClaims(provisioned, randomUUID()) };
    },
    session: ({ session, token }) => ({ ...session, uid: token.uid, sv: token.sv, sid: token.sid }),
  },
  events: {
    // Signing out ends the session on the server too: a copy of the cookie kept elsewhere no longer works.
    signOut: async ({ token }) => {
      await endSession(token);
    },
  },
};

/** The provider's id in next-auth's routes (/api/auth/signin/oidc, /api/auth/callback/oidc). */
export const SSO_PROVIDER = "oidc";

function ssoProvider(): OAuthConfig<Record<string, unknown>> {
  const e = env();
  return {
    id: SSO_PROVIDER,
    name: e.OIDC_NAME,
    type: "oauth",
    wellKnown: `${e.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: e.OIDC_SCOPE } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (profile) => ({
      id: String(profile.sub),
      email: typeof profile.email === "string" ? profile.email : null,
      name: typeof profile.name === "string" ? profile.name : null,
    }),
  };
}

const passwordProvider = CredentialsProvider({
  name: "Email and password",
  credentials: {
    email: { label: "Email", type: "email" },
    password: { label: "Password", type: "password" },
  },
  async authorize(raw, request) {
    const parsed = credentialsInput.safeParse(raw);
    if (!parsed.success) return null;
    const { email, password } = parsed.data;
    const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
    // A refusal throws: next-auth hands its message ("… Try again in 30 seconds.") to the form.
    const valid = await throttledPasswordCheck(
      email,
      requestAddress(request?.headers),
      async () => {
        const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
        return matches && user !== null && user.active;
      },
    );
    if (!valid || !user) return null;
    const signedIn = {
      id: user.id,
      email: user.email,
      name: user.name,
      sessionVersion: user.sessionVersion,
    };
    return signedIn;
  },
});
