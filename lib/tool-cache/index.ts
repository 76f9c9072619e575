import "server-only";
import { prepared } from "@/lib/store";
import type { ToolSpec } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { stableHash } from "@/lib/idempotency/hash";
import { recordEvent, reportCommitted } from "@/lib/trace/events";

// The cache at the tool layer. A read tool that declares `cache` has its successful results kept
// in tool_cache_entries (a table, so every worker shares it) per agent, tool, subject and exact
// arguments; a write tool that declares `writes` drops this agent's entries for the same subject
// that read any of those records, before it runs and again after (a read racing the write cannot
// leave the old value behind). Irreversible tools never come near it: defineAgent refuses to
// cache them, and this module checks again. Every lookup is a trace event (`tool_cache`, hit or
// miss, with agent and tool), which is what a hit rate is computed from.

export type CacheScope = {
  agent: string;
  tool: ToolSpec<unknown, unknown>;
  input: unknown;
  subjectId: string;
  runId: string;
  toolCallId: string;
};

export const TOOL_CACHE_EVENT = "tool_cache" as const;

export const isCacheable = (tool: ToolSpec<unknown, unknown>) =>
  Boolean(tool.cache) && !tool.irreversible && !tool.writes;

/** Runs the tool through the cache: a hit answers without running it; a write invalidates. */
export async function throughToolCache(
  scope: CacheScope,
  run: () => Promise<unknown>,
): Promise<unknown> {
  const { tool } = scope;
  if (isCacheable(tool)) return cachedRead(scope, tool.cache!, run);
  if (tool.writes) {
    const records = tool.writes(scope.input);
    await invalidate(scope, records);
    try {
      return await run();
    } finally {
      await invalidate(scope, records);
    }
  }
  return run();
}

async function cachedRead(
  scope: CacheScope,
  cache: NonNullable<ToolSpec<unknown, unknown>["cache"]>,
  run: () => Promise<unknown>,
) {
  const key = {
    agent: scope.agent,
    tool: scope.tool.name,
    subjectId: scope.subjectId,
    argsHash: stableHash(scope.input),
  };
  const records = cache.records(scope.input);
  const hit = await lookupAndNote(scope, key, records);
  if (hit) return hit.result;
  const result = await run();
  // Stored as the database will give it back, so a hit is exactly what a miss returned. One
  // statement (an upsert), so a miss costs the step two round trips in all, a hit one.
  const stored = JSON.stringify(result ?? null);
  const expiresAt = new Date(Date.now() + cache.ttlSeconds * 1000);
  // On the pool, prepared (lib/db/index.ts): lookups and stores are on every cacheable read's path.
  await prepared(
    db,
    Prisma.sql`
    insert into tool_cache_entries (agent, tool, subject_id, args_hash, records, result, expires_at, created_at)
    values (${key.agent}, ${key.tool}, ${key.subjectId}, ${key.argsHash}, ${records}::text[], ${stored}::jsonb, ${expiresAt}, timezone('utc', now()))
    on conflict (agent, tool, subject_id, args_hash)
    do update set records = excluded.records, result = excluded.result, expires_at = excluded.expires_at, created_at = excluded.created_at`,
  );
  return result;
}

async function invalidate(scope: CacheScope, records: string[]) {
  if (records.length === 0) return;
  const dropped = await db.toolCacheEntry.deleteMany({
    where: { agent: scope.agent, subjectId: scope.subjectId, records: { hasSome: records } },
  });
  if (dropped.count > 0) await note(scope, "invalidated", { records, entries: dropped.count });
}

/** The live entry for this key, if any, and the hit or miss trace event, in one statement. */
async function lookupAndNote(
  scope: CacheScope,
  key: { agent: string; tool: string; subjectId: string; argsHash: string },
  records: string[],
) {
  const event = (outcome: "hit" | "miss") => ({
    runId: scope.runId,
    toolCallId: scope.toolCallId,
    kind: TOOL_CACHE_EVENT,
    name: `cache ${outcome} · ${scope.tool.name}`,
    data: { agent: scope.agent, tool: scope.tool.name, outcome, records },
  });
  const [row] = await prepared<{ result: Prisma.JsonValue; hit: boolean }>(
    db,
    Prisma.sql`
    with hit as (
      select result, created_at from tool_cache_entries
       where agent = ${key.agent} and tool = ${key.tool} and subject_id = ${key.subjectId} and args_hash = ${key.argsHash} and expires_at > ${new Date()}
       limit 1
    ), noted as (
      insert into trace_events (id, run_id, tool_call_id, kind, name, data, created_at)
      select gen_random_uuid(), ${scope.runId}::uuid, ${scope.toolCallId}::uuid, ${TOOL_CACHE_EVENT},
             case when exists (select from hit) then ${event("hit").name} else ${event("miss").name} end,
             jsonb_build_object('agent', ${scope.agent}::text, 'tool', ${scope.tool.name}::text, 'records', ${JSON.stringify(records)}::jsonb,
                                'outcome', case when exists (select from hit) then 'hit' else 'miss' end,
                                'cachedAt', (select created_at from hit)),
             timezone('utc', now())
      returning id
    )
    select (select result from hit) as result, exists (select from hit) as hit, (select count(*) from noted) as noted`,
  );
  reportCommitted(event(row?.hit ? "hit" : "miss"));
  return row?.hit ? { result: row.result } : null;
}

function note(
  scope: CacheScope,
  outcome: "hit" | "miss" | "invalidated",
  data: Record<string, Prisma.InputJsonValue>,
) {
  return db.$transaction((tx) =>
    recordEvent(tx, {
      runId: scope.runId,
      toolCallId: scope.toolCallId,
      kind: TOOL_CACHE_EVENT,
      name: `cache ${outcome} · ${scope.tool.name}`,
      data: { agent: scope.agent, tool: scope.tool.name, outcome, ...data },
    }),
  );
}

/** Drops expired entries (run by the approvals' maintenance pass, or by hand). */
export async function pruneToolCache(now = new Date()) {
  return (await db.toolCacheEntry.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}
