import "server-only";
import { randomBytes } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import { hashToken } from "@/lib/auth/tokens";
import { appendAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { builder, rows } from "@/lib/store";
import { AGENT_KEY_PREFIX } from "./schemas";

// Agent keys (`Authorization: Bearer cs_agent_…`): shown once, only the SHA-256 kept (long random
// keys need no stretching), revocable, and good for the agent's own actions only. They are a
// credential of their own kind: personal access tokens do not open /api/v1/actions, and agent
// keys open nothing else (requireTokenActor knows only cs_pat_).

const KEY_PATTERN = /^Bearer\s+(cs_agent_[A-Za-z0-9_-]{43})\s*$/;
const MAX_ACTIVE_KEYS = 10;
const WINDOW_MS = 60_000;

/** Who is calling: the agent a valid key belongs to. Everything an agent does takes this. */
export type AuthenticatedAgent = { id: string; name: string; keyId: string };

export async function issueAgentKey(
  actor: Actor,
  agentName: string,
  keyName: string,
): Promise<{ id: string; key: string; keyPrefix: string }> {
  return db.$transaction(async (tx) => {
    const [agent] = await rows(
      tx,
      builder.selectFrom("external_agents").select("id").where("name", "=", agentName).forUpdate(),
    );
    if (!agent) throw new AppError("not_found", "This external agent does not exist.");
    return createAgentKey(tx, actor, { id: agent.id, name: agentName }, keyName);
  });
}

/** Mints a key in the caller's transaction (the agent's row locked by it), with its audit entry. */
export async function createAgentKey(
  tx: Tx,
  actor: Actor,
  agent: { id: string; name: string },
  keyName: string,
): Promise<{ id: string; key: string; keyPrefix: string }> {
  const name = keyName.trim();
  if (!name || name.length > 80)
    throw new AppError("invalid_input", "keyName: give the key a name of at most 80 characters");
  const key = AGENT_KEY_PREFIX + randomBytes(32).toString("base64url");
  const keyPrefix = key.slice(0, AGENT_KEY_PREFIX.length + 6);
  const active = await tx.externalAgentKey.count({ where: { agentId: agent.id, revokedAt: null } });
  if (active >= MAX_ACTIVE_KEYS)
    throw new AppError(
      "invalid_input",
      `This agent already has ${MAX_ACTIVE_KEYS} active keys; revoke one first.`,
    );
  const row = await tx.externalAgentKey.create({
    data: { agentId: agent.id, name, keyHash: hashToken(key), keyPrefix },
  });
  await appendAudit(tx, {
    actorEmail: actor.email,
    action: "agent_key_created",
    payload: { agent: agent.name, keyId: row.id, name, keyPrefix },
  });
  return { id: row.id, key, keyPrefix };
}

export async function revokeAgentKey(
  actor: Actor,
  agentName: string,
  keyId: string,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const key = await tx.externalAgentKey.findFirst({
      where: { id: keyId, agent: { name: agentName } },
    });
    if (!key) throw new AppError("not_found", "This key does not exist.");
    const revoked = await tx.externalAgentKey.updateMany({
      where: { id: keyId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count === 0) return;
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "agent_key_revoked",
      payload: { agent: agentName, keyId, name: key.name, keyPrefix: key.keyPrefix },
    });
  });
}

/**
 * The agent behind an `Authorization: Bearer cs_agent_…` header: 401 without a valid, unrevoked
 * key (a personal access token is told it does not work here), 429 past the key's requests per
 * minute. The window is counted in one conditional update, so concurrent requests cannot all pass.
 */
export async function authenticateAgentKey(request: Request): Promise<AuthenticatedAgent> {
  const header = request.headers.get("authorization") ?? "";
  if (/^Bearer\s+cs_pat_/.test(header)) {
    throw new AppError(
      "unauthenticated",
      "Personal access tokens do not work on the agent API; send an agent key as `Authorization: Bearer cs_agent_…`.",
    );
  }
  const raw = KEY_PATTERN.exec(header)?.[1];
  if (!raw)
    throw new AppError(
      "unauthenticated",
      "Send an agent key as `Authorization: Bearer cs_agent_…` (an admin creates one at /admin/agents).",
    );
  const now = new Date();
  const windowOpen = new Date(now.getTime() - WINDOW_MS);
  const [hit] = await db.$queryRaw<
    {
      id: string;
      agent_id: string;
      name: string;
      window_count: number;
      window_start: Date;
      limit: number;
    }[]
  >`
    update external_agent_keys k set
      window_start = case when k.window_start <= ${windowOpen} then ${now} else k.window_start end,
      window_count = case when k.window_start <= ${windowOpen} then 1 else k.window_count + 1 end,
      last_used_at = ${now}
    from external_agents a
    where k.key_hash = ${hashToken(raw)} and k.revoked_at is null and a.id = k.agent_id
    returning k.id, k.agent_id, a.name, k.window_count, k.window_start, a.rate_limit_per_minute as limit`;
  if (!hit)
    throw new AppError("unauthenticated", "This agent key is not valid: it is unknown or revoked.");
  if (hit.window_count > hit.limit) {
    const retryAfter = Math.max(
      1,
      Math.ceil((hit.window_start.getTime() + WINDOW_MS - now.getTime()) / 1000),
    );
    throw new AppError(
      "rate_limited",
      `This agent key made more than ${hit.limit} requests in a minute; try again in ${retryAfter} s.`,
      {
        retryAfterSeconds: retryAfter,
      },
    );
  }
  return { id: hit.agent_id, name: hit.name, keyId: hit.id };
}
