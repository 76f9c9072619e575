import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { DUMMY_HASH, verifyPassword } from "./password";

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
      async authorize(raw) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const user = await db.user.findUnique({ where: { email: parsed.data.email }, omit: { passwordHash: false } });
        const valid = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
        if (!user || !valid || !user.active) return null;
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
