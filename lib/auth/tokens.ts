import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import type { Actor } from "./actor";

// Personal access tokens for the HTTP API. The token is shown once at creation; the database
// keeps only its SHA-256, so a leaked table does not leak working tokens. Tokens are long and
// random, so a fast hash is enough (no password-style stretching needed).

const TOKEN_PREFIX = "cs_pat_";
const BEARER = /^Bearer\s+(cs_pat_[A-Za-z0-9_-]{43})\s*$/;
const MAX_ACTIVE_TOKENS = 20;
// Recording every use would turn each API read into a write; once a minute is plenty to audit.
const LAST_USED_RESOLUTION_MS = 60_000;

export const createTokenInput = z.object({ name: z.string().trim().min(1, "Give the token a name").max(80, "Keep the name under 80 characters") });
export const revokeTokenInput = z.object({ tokenId: z.uuid({ message: "Unknown token" }) });

export type ApiTokenView = { id: string; name: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const toView = (t: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): ApiTokenView => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** A new token for the actor; the returned `token` is the only time anyone sees it. */
export async function createApiToken(actor: Actor, input: z.infer<typeof createTokenInput>): Promise<ApiTokenView & { token: string }> {
  const active = await db.apiToken.count({ where: { userId: actor.id, revokedAt: null } });
  if (active >= MAX_ACTIVE_TOKENS) throw new AppError("invalid_input", `You already have ${MAX_ACTIVE_TOKENS} active tokens; revoke one first.`);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const created = await db.apiToken.create({ data: { userId: actor.id, name: input.name, tokenHash: hashToken(token) } });
  return { ...toView(created), token };
}

export async function listApiTokens(actor: Actor): Promise<ApiTokenView[]> {
  const tokens = await db.apiToken.findMany({ where: { userId: actor.id }, orderBy: { createdAt: "desc" }, take: 100 });
  return tokens.map(toView);
}

/** Revokes one of the actor's own tokens; someone else's token is "not found", as if absent. */
export async function revokeApiToken(actor: Actor, input: z.infer<typeof revokeTokenInput>): Promise<ApiTokenView> {
  const token = await db.apiToken.findFirst({ where: { id: input.tokenId, userId: actor.id } });
  if (!token) throw new AppError("not_found", "This token does not exist.");
  if (token.revokedAt) return toView(token);
  return toView(await db.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } }));
}

/**
 * The actor behind an `Authorization: Bearer cs_pat_…` header, checked on every request: a
 * revoked token, or one whose owner was deactivated, stops working at once.
 */
export async function requireTokenActor(authorization: string, roles: readonly Role[]): Promise<Actor> {
  const raw = BEARER.exec(authorization)?.[1];
  if (!raw) throw new AppError("unauthenticated", "Send a personal access token as `Authorization: Bearer cs_pat_…`.");
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(raw) },
    include: { user: { select: { id: true, email: true, name: true, role: true, active: true } } },
  });
  if (!token || token.revokedAt || !token.user.active) throw new AppError("unauthenticated", "This token is not valid: it is unknown, revoked, or its account is deactivated.");
  if (!roles.includes(token.user.role)) throw new AppError("forbidden", "Your account does not have access to this.");
  const now = new Date();
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  const { user } = token;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
