import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { DUMMY_HASH, verifyPassword } from "./password";
import { clearSignInFailures, recordSignInFailure, signInLockedFor } from "./throttle";

/** The client's address as the first proxy saw it, for throttling only (never for trust). */
function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  return (typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined) || "unknown";
}

const credentials = z.object({ email: z.email().max(254).transform((e) => e.toLowerCase()), password: z.string().min(1).max(200) });

export const authOptions: NextAuthOptions = {
  // Read on first request, not at import: `next build` imports this without a secret.
  get secret() {
    return env().NEXTAUTH_SECRET;
  },
  session: { strategy: "jwt", maxAge: 8 * 3600 },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = clientAddress(request?.headers);
        const lockedFor = await signInLockedFor(email, ip);
        // next-auth hands this message to the sign-in form as the error.
        if (lockedFor) throw new Error(`Too many failed sign-ins. Try again in ${lockedFor} minute${lockedFor === 1 ? "" : "s"}.`);
        const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
        const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
        if (!user || !valid || !user.active) {
          await recordSignInFailure(email, ip);
          return null;
        }
        await clearSignInFailures(email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    // The token carries only the user's id: role and active flag are read fresh on every request.
    jwt: ({ token, user }) => (user ? { ...token, uid: user.id } : token),
    session: ({ session, token }) => ({ ...session, uid: token.uid }),
  },
};
