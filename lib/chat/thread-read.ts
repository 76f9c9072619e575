import "server-only";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import { builder, hot } from "@/lib/store";
import { db } from "@/lib/db";

// A customer's thread in one prepared statement: their newest conversation's newest messages, its
// live runs still in flight and the calls waiting for our team. Read for every change of a thread
// a customer watches (each stream event, lib/live/thread-push.ts), where four Prisma queries in
// two round trips cost the database a parse and plan each.

/** The most messages a thread shows: the newest, so a long thread keeps showing what just happened. */
export const THREAD_SIZE = 200;

const threadOf = hot((p: { userId: string }) =>
  builder
    .selectFrom("conversations as c")
    .where("c.user_id", "=", p.userId)
    .orderBy("c.created_at", "desc")
    .limit(1)
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("messages as m")
          .leftJoin("users as s", "s.id", "m.staff_id")
          .whereRef("m.conversation_id", "=", "c.id")
          .orderBy("m.created_at", "desc")
          .orderBy("m.id", "desc")
          .limit(THREAD_SIZE)
          .select([
            "m.id",
            "m.author",
            "m.text",
            "m.created_at as createdAt",
            "m.run_id as runId",
            "s.name as staffName",
          ]),
      ).as("messages"),
      jsonArrayFrom(
        eb
          .selectFrom("runs as r")
          .whereRef("r.conversation_id", "=", "c.id")
          .where("r.mode", "=", "live")
          .where("r.status", "not in", [...TERMINAL_RUN_STATUSES])
          .select(["r.id as runId", "r.status"]),
      ).as("inFlight"),
      jsonArrayFrom(
        eb
          .selectFrom("approvals as a")
          .innerJoin("runs as r", "r.id", "a.run_id")
          .innerJoin("tool_calls as t", "t.id", "a.tool_call_id")
          .whereRef("r.conversation_id", "=", "c.id")
          .where("r.mode", "=", "live")
          .where("a.status", "=", "pending")
          .orderBy("a.created_at")
          .orderBy("a.id")
          .select(["a.agent", "a.tool", "t.arguments"]),
      ).as("waiting"),
    ]),
);

export type ThreadRows = NonNullable<Awaited<ReturnType<typeof readThreadRows>>>;

/** The thread's rows, newest message first; null when the customer has no conversation yet. */
export async function readThreadRows(userId: string) {
  const [row] = await threadOf(db, { userId });
  return row ?? null;
}

/** A timestamp from inside JSON (PostgreSQL writes a `timestamp` there without its zone: UTC). */
export const isoFromJson = (value: string) =>
  new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`).toISOString();
