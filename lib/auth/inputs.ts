import { z } from "zod";
import type { TokenScope } from "@/lib/generated/prisma/enums";

// What the account forms accept, with no server imports, so the forms (browser) check with the
// very schemas the server parses with: a new personal access token (lib/auth/actions.ts) and the
// email and password sign-in (authorize() in lib/auth/options.ts).

/** The scopes any reviewer's token may have; an admin's may also have `admin` (the policy). */
export const TOKEN_SCOPES = ["read", "decide", "reply"] as const satisfies readonly TokenScope[];
const ALL_SCOPES = [...TOKEN_SCOPES, "admin"] as const satisfies readonly TokenScope[];
export const TOKEN_LIFETIMES_DAYS = [7, 30, 90, 365] as const;
export const DEFAULT_TOKEN_LIFETIME_DAYS = 90;

export const createTokenInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the token a name")
    .max(80, "Keep the name under 80 characters"),
  expiresInDays: z
    .number({ message: "Choose how long the token lasts" })
    .refine(
      (d): d is (typeof TOKEN_LIFETIMES_DAYS)[number] =>
        (TOKEN_LIFETIMES_DAYS as readonly number[]).includes(d),
      {
        message: `The token can last ${TOKEN_LIFETIMES_DAYS.join(", ")} days`,
      },
    )
    .default(DEFAULT_TOKEN_LIFETIME_DAYS),
  scopes: z
    .array(z.enum(ALL_SCOPES, { message: `Scopes are ${ALL_SCOPES.join(", ")}` }), {
      message: "Choose what the token may do",
    })
    .min(1, "Choose at least one scope")
    .max(ALL_SCOPES.length)
    .transform((scopes) => ALL_SCOPES.filter((s) => scopes.includes(s))),
  password: z
    .string({ message: "Enter your password to create a token" })
    .min(1, "Enter your password to create a token")
    .max(200, "That password is too long"),
});
export const revokeTokenInput = z.object({ tokenId: z.uuid({ message: "Unknown token" }) });

/**
 * Email and password as the sign-in form sends them. authorize() refuses anything else without
 * saying why (a wrong guess learns nothing); the form shows these messages before sending.
 */
export const credentialsInput = z.object({
  email: z
    .email("Enter your email address, e.g. name@example.com")
    .max(254, "That email address is too long")
    .transform((e) => e.toLowerCase()),
  password: z.string().min(1, "Enter your password").max(200, "That password is too long"),
});
