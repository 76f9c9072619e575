import type { Role } from "@/lib/generated/prisma/enums";

export type { Role };

/** Who may use each surface. Admins oversee reviewers' work, so they may review too. */
export const SURFACE_ROLES = {
  chat: ["user"],
  inbox: ["reviewer", "admin"],
  admin: ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export function homeFor(role: Role): string {
  return role === "user" ? "/chat" : role === "reviewer" ? "/inbox" : "/admin";
}
