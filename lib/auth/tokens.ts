import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "@/lib/audit/log";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role, TokenScope } from "@/lib/generated/prisma/enums";
import { builder, rows } from "@/lib/store";
import type { Actor } from "./actor";
import { verifyPassword } from "./password";
import type { createTokenInput, revokeTokenInput } from "./inputs";
import { throttledPasswordCheck } from "./throttle";

// The schemas and choices live in ./inputs (pure, so the new-token form checks with them too).
export {
  createTokenInput,
  DEFAULT_TOKEN_LIFETIME_DAYS,
  revokeTokenInput,
  TOKEN_LIFETIMES_DAYS,
  TOKEN_SCOPES,
} from "./inputs";

// Personal access tokens for the HTTP API. The token is shown once at creation; the database
// keeps only its SHA-256, so a leaked table does not leak working tokens. Tokens are long and
// random, so a fast hash is enough (no password-style stretching needed). Each has an expiry
// and scopes; minting one asks for the password again, so a borrowed session cannot mint a
// lasting credential.

const TOKEN_PREFIX = "cs_pat_";
const BEARER = /^Bearer\s+(cs_pat_[A-Za-z0-9_-]{43})\s*$/;
const MAX_ACTIVE_TOKENS = 20;
// Recording every use would turn each API read into a write; once a minute is plenty to audit.
const LAST_USED_RESOLUTION_MS = 60_000;
const DAY_MS = 86_400_000;

export const SCOPE_MEANING: Record<TokenScope, string> = {
  read: "list and read approvals and follow-ups",
  decide: "approve, edit or reject approvals",
  reply: "reply to follow-ups",
  admin: "read and change the policy (admins only)",
};

/** The scopes an account of this role may give its tokens: `admin` is for admins. */
export const scopesFor = (role: Actor["role"]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(SCOPE_MEANING).filter(([scope]) => scope !== "admin" || role === "admin"),
  );

export type ApiTokenState = "active" | "expired" | "revoked";
export type ApiTokenView = {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: ApiTokenState;
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

type TokenRow = {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const toView = (t: TokenRow, now = new Date()): ApiTokenView => ({
  id: t.id,
  name: t.name,
  scopes: t.scopes,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
  state: t.revokedAt ? "revoked" : t.expiresAt <= now ? "expired" : "active",
});

/**
 * A new token for the actor, after checking their password again (throttled like sign-in, per
 * account and `ip`). The returned `token` is the only time anyone sees it.
 */
export async function createApiToken(
  actor: Actor,
  input: z.infer<typeof createTokenInput>,
  ip: string,
): Promise<ApiTokenView & { token: string }> {
  const owner = await db.user.findUnique({
    where: { id: actor.id },
    select: { passwordHash: true },
  });
  const confirmed = await throttledPasswordCheck(
    actor.email,
    ip,
    async () => owner !== null && (await verifyPassword(input.password, owner.passwordHash)),
  );
  if (!confirmed)
    throw new AppError("invalid_input", "That password is not right; no token was created.");
  return issueApiToken(actor, input);
}

/**
 * Mints the token. Only for callers that have just re-authenticated the actor (createApiToken),
 * and for tests of the API itself.
 */
export async function issueApiToken(
  actor: Actor,
  input: Omit<z.infer<typeof createTokenInput>, "password">,
): Promise<ApiTokenView & { token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
  const created = await db.$transaction(async (tx) => {
    if (input.scopes.includes("admin") && actor.role !== "admin")
      throw new AppError("forbidden", "scopes: only an admin's token may have the admin scope");
    // Locks the owner's row, so two concurrent creations cannot both pass the limit.
    await rows(tx, builder.selectFrom("users").select("id").where("id", "=", actor.id).forUpdate());
    const active = await tx.apiToken.count({
      where: { userId: actor.id, revokedAt: null, expiresAt: { gt: now } },
    });
    if (active >= MAX_ACTIVE_TOKENS)
      throw new AppError(
        "invalid_input",
        `You already have ${MAX_ACTIVE_TOKENS} active tokens; revoke one first.`,
      );
    const row = await tx.apiToken.create({
      data: {
        userId: actor.id,
        name: input.name,
        tokenHash: hashToken(token),
        scopes: input.scopes,
        expiresAt,
      },
    });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "token_created",
      payload: {
        tokenId: row.id,
        owner: actor.email,
        name: row.name,
        before: null,
        after: { name: row.name, scopes: row.scopes, expiresAt: expiresAt.toISOString() },
      },
    });
    return row;
  });
  return { ...toView(created, now), token };
}

export async function listApiTokens(actor: Actor): Promise<ApiTokenView[]> {
  const tokens = await db.apiToken.findMany({
    where: { userId: actor.id },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  const now = new Date();
  return tokens.map((t) => toView(t, now));
}

/** Revokes one of the actor's own tokens; someone else's token is "not found", as if absent. */
export async function revokeApiToken(
  actor: Actor,
  input: z.infer<typeof revokeTokenInput>,
): Promise<ApiTokenView> {
  return db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id: input.tokenId, userId: actor.id } });
    if (!token) throw new AppError("not_found", "This token does not exist.");
    const revokedAt = new Date();
    // Conditional, so two concurrent revocations record one revocation.
    const updated = await tx.apiToken.updateMany({
      where: { id: token.id, revokedAt: null },
      data: { revokedAt },
    });
    if (updated.count === 0)
      return toView(await tx.apiToken.findUniqueOrThrow({ where: { id: token.id } }));
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "token_revoked",
      payload: {
        tokenId: token.id,
        owner: actor.email,
        name: token.name,
        before: { revokedAt: null },
        after: { revokedAt: revokedAt.toISOString() },
      },
    });
    return toView({ ...token, revokedAt });
  });
}

/**
 * The actor behind an `Authorization: Bearer cs_pat_…` header, checked on every request: a
 * revoked or expired token, or one whose owner was deactivated, stops working at once (401);
 * a token without the scope the route needs, or whose owner's role may not use it, gets 403.
 */
export async function requireTokenActor(
  authorization: string,
  roles: readonly Role[],
  scope: TokenScope,
): Promise<Actor> {
  const raw = BEARER.exec(authorization)?.[1];
  if (!raw)
    throw new AppError(
      "unauthenticated",
      "Send a personal access token as `Authorization: Bearer cs_pat_…`.",
    );
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(raw) },
    include: { user: { select: { id: true, email: true, name: true, role: true, active: true } } },
  });
  if (!token || token.revokedAt || !token.user.active)
    throw new AppError(
      "unauthenticated",
      "This token is not valid: it is unknown, revoked, or its account is deactivated.",
    );
  const now = new Date();
  if (token.expiresAt <= now) {
    throw new AppError(
      "unauthenticated",
      `This token expired at ${token.expiresAt.toISOString()}. Create a new one at /account/tokens.`,
    );
  }
  if (!roles.includes(token.user.role))
    throw new AppError("forbidden", "Your account does not have access to this.");
  if (!token.scopes.includes(scope)) {
    throw new AppError(
      "forbidden",
      `This token lacks the "${scope}" scope (it may ${token.scopes.join(", ") || "nothing"}). Create one with "${scope}" at /account/tokens.`,
    );
  }
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  const { user } = token;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
