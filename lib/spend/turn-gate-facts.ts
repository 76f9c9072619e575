import "server-only";
import {
  DEFAULT_WORKSPACE_LIMITS,
  type WorkspaceLimits,
} from "@/lib/agent-settings/workspace-limits-schema";
import type { Tx } from "@/lib/db";
import { prepared } from "@/lib/store";
import { Prisma } from "@/lib/generated/prisma/client";
import { startOfUtcDay } from "./day";

/** What the turn gate decides on, read under the user's lock. */
export type TurnGateFacts = {
  limits: WorkspaceLimits;
  /** Today's model spend of the user's live runs (UTC), in micro-dollars. */
  spentTodayMicros: number;
  /** The user's live turns of the last minute, counted up to `limits.maxTurnsPerMinute`. */
  recentTurns: number;
  /** When the oldest of those counted turns was created (ms since the epoch); null when none. */
  oldestRecentTurnAt: number | null;
  /** The user's live runs actively working (queued, routing, running). */
  runsInFlight: number;
  /** The user's latest conversation, where the turn goes; null before their first turn. */
  conversationId: string | null;
};

type Row = {
  settings: Partial<WorkspaceLimits> | null;
  spent: string | number | bigint | null;
  recent_turns: number;
  oldest_recent_ms: number | null;
  in_flight: number;
  conversation_id: string | null;
};

/**
 * Everything the gate checks, in ONE statement: the send holds the user's advisory lock from this
 * read to its commit, and each statement more was a round trip (and a wait for the event loop and
 * a pooled connection) with the lock held. Each sub-select is the query it replaces: the limits as
 * effectiveLimits() reads them, today's model spend of the user's live runs (the one place it is summed), the last minute's turns
 * (capped at the limit in force, so the wait comes from the oldest counted one), the runs in flight
 * and the conversation startTurn() writes into. Run after the lock, never in the lock's statement:
 * under READ COMMITTED a statement sees what was committed when it began, and the turns the
 * previous holder of the lock committed must be counted.
 */
export async function readTurnGateFacts(
  tx: Tx,
  userId: string,
  now: Date,
  inFlightStatuses: readonly string[],
): Promise<TurnGateFacts> {
  const since = startOfUtcDay(now).toISOString();
  const minuteAgo = new Date(now.getTime() - 60_000).toISOString();
  const [row] = await prepared<Row>(
    tx,
    Prisma.sql`with latest_limits as (
      select settings from workspace_limits order by version desc limit 1
    ), recent as (
      select created_at from runs
      where user_id = ${userId}::uuid and mode = 'live' and created_at > ${minuteAgo}::timestamp(3)
      order by created_at desc
      limit coalesce(((select settings from latest_limits) ->> 'maxTurnsPerMinute')::int, ${DEFAULT_WORKSPACE_LIMITS.maxTurnsPerMinute}::int)
    )
    select
      (select settings from latest_limits) as settings,
      (select sum(e.cost_micros)::bigint from trace_events e join runs r on r.id = e.run_id
        where e.kind = 'model_call' and e.created_at >= ${since}::timestamp(3) and r.user_id = ${userId}::uuid
          and r.mode = 'live' and r.updated_at >= ${since}::timestamp(3)) as spent,
      (select count(*)::int from recent) as recent_turns,
      (select (extract(epoch from min(created_at)) * 1000)::float8 from recent) as oldest_recent_ms,
      (select count(*)::int from runs where user_id = ${userId}::uuid and mode = 'live'
        and status = any(${[...inFlightStatuses]}::"RunStatus"[])) as in_flight,
      (select id::text from conversations where user_id = ${userId}::uuid
        order by created_at desc limit 1) as conversation_id`,
  );
  if (!row) throw new Error("The turn gate's read returned no row");
  return {
    // Stored versions are completed from the defaults, as effectiveLimits() does.
    limits: { ...DEFAULT_WORKSPACE_LIMITS, ...(row.settings ?? {}) },
    spentTodayMicros: Number(row.spent ?? 0),
    recentTurns: Number(row.recent_turns),
    oldestRecentTurnAt: row.oldest_recent_ms === null ? null : Number(row.oldest_recent_ms),
    runsInFlight: Number(row.in_flight),
    conversationId: row.conversation_id,
  };
}
