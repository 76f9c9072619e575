import "server-only";
import { sql } from "kysely";
import { db } from "@/lib/db";
import { builder, fixed, hot, rows } from "@/lib/store";
import { log } from "@/lib/log";
import { liveEventSchema, type LiveEvent } from "./events";

// Resuming a stream: the events after the reader's Last-Event-ID, from the events table.
//
// Ids are handed out when a transaction writes its event, not when it commits, so a transaction
// that took id 10 may commit after one that took id 11. A reader that saw 11 and reconnects
// before 10 committed would skip 10 if replay started strictly after 11; so replay also re-sends
// what was written in the few seconds before the reader's last event. A repeat is harmless (an
// event only makes the browser re-read), a miss is not.
const REPLAY_OVERLAP_SECONDS = 10;
/** Past this many events to replay, the reader is told to re-read everything instead. */
export const REPLAY_LIMIT = 2_000;
/** Events are kept this long; a reader away for longer re-reads everything. */
const RETENTION_HOURS = 24;

type Row = {
  id: string;
  kind: string;
  user_id: string | null;
  conversation_id: string | null;
  run_id: string | null;
  approval_id: string | null;
  run_status: string | null;
  run_previous_status: string | null;
  approval_moved: boolean;
  approval_team_left: string | null;
};

const latest = hot(() =>
  builder.selectFrom("live_events").select(sql<string | null>`max(id)::text`.as("id")),
);

const anchor = hot((p: { id: string }) =>
  builder.selectNoFrom((eb) =>
    eb.exists(eb.selectFrom("live_events").select("id").where("id", "=", p.id)).as("found"),
  ),
);

// Two index scans (by id, by time) rather than one OR that would read the whole table.
const since =
  fixed<Row>(`select id::text, kind, user_id, conversation_id, run_id, approval_id, run_status, run_previous_status,
       approval_moved, approval_team_left from (
       select * from live_events where id > $1
       union
       select * from live_events
       where id <= $1 and created_at >= (select created_at from live_events where id = $1) - make_interval(secs => $3)
     ) e
     where $2::uuid is null or e.user_id = $2::uuid
     order by e.id
     limit $4`);

const toEvent = (row: Row): LiveEvent | null => {
  const parsed = liveEventSchema.safeParse({
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    conversationId: row.conversation_id,
    runId: row.run_id,
    approvalId: row.approval_id,
    runStatus: row.run_status,
    runPreviousStatus: row.run_previous_status,
    approvalMoved: row.approval_moved,
    approvalTeamLeft: row.approval_team_left,
  });
  return parsed.success ? parsed.data : null;
};

/** The newest event's id (0 with none): where a fresh stream starts. */
export async function latestEventId(): Promise<bigint> {
  const rows = await latest(db, {});
  return BigInt(rows[0]?.id ?? 0);
}

/**
 * The events to send a reader resuming after `after`, oldest first, narrowed to one customer's
 * when `userId` is given; `reset` when they cannot be known (pruned, or too many).
 */
export async function eventsSince(
  after: bigint,
  userId: string | null,
): Promise<{ reset: true } | { reset: false; events: LiveEvent[] }> {
  const rows = await since(db, [
    after.toString(),
    userId,
    REPLAY_OVERLAP_SECONDS,
    REPLAY_LIMIT + 1,
  ]);
  // The reader's last event is gone (pruned, or never was): what came between cannot be known.
  if (after > 0n && !(await anchorExists(after))) return { reset: true };
  if (rows.length > REPLAY_LIMIT) return { reset: true };
  return { reset: false, events: rows.flatMap((row) => toEvent(row) ?? []) };
}

async function anchorExists(id: bigint): Promise<boolean> {
  const rows = await anchor(db, { id: id.toString() });
  return Boolean(rows[0]?.found);
}

/** Drops events older than the retention (the workers call it every minute). */
export async function pruneLiveEvents(): Promise<number> {
  const [pruned] = await rows(
    db,
    builder
      .with("gone", (w) =>
        w
          .deleteFrom("live_events")
          .where("created_at", "<", sql<Date>`now() - make_interval(hours => ${RETENTION_HOURS})`)
          .returning("id"),
      )
      .selectFrom("gone")
      .select((eb) => eb.fn.countAll<number>().as("count")),
  );
  const rowCount = Number(pruned?.count ?? 0);
  if (rowCount) log.info("live events pruned", { count: rowCount });
  return rowCount;
}
