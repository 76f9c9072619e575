import "server-only";
import { sql } from "kysely";
import type { Tx } from "@/lib/db";
import { builder, hot } from "@/lib/store";

// Stamped with the clock, not the transaction's start (see below).
const now = sql<Date>`timezone('utc', clock_timestamp())`;

const post = hot((p: { runId: string; conversationId: string; text: string }) =>
  builder
    .with("r", (w) =>
      w
        .selectFrom("runs")
        .select("mode")
        .where("id", "=", sql<string>`${p.runId}::uuid`),
    )
    .with("said", (w) =>
      w
        .insertInto("messages")
        .columns(["id", "conversation_id", "author", "text", "run_id", "created_at"])
        .expression((eb) =>
          eb
            .selectFrom("r")
            .select([
              sql<string>`gen_random_uuid()`.as("id"),
              sql<string>`${p.conversationId}::uuid`.as("conversation_id"),
              sql<"assistant">`'assistant'::"MessageAuthor"`.as("author"),
              sql<string>`${p.text}::text`.as("text"),
              sql<string>`${p.runId}::uuid`.as("run_id"),
              now.as("created_at"),
            ])
            .where("r.mode", "=", "live"),
        )
        .returning(sql<number>`1`.as("one")),
    )
    .insertInto("scratch_messages")
    .columns(["id", "run_id", "text", "created_at"])
    .expression((eb) =>
      eb
        .selectFrom("r")
        .select([
          sql<string>`gen_random_uuid()`.as("id"),
          sql<string>`${p.runId}::uuid`.as("run_id"),
          sql<string>`${p.text}::text`.as("text"),
          now.as("created_at"),
        ])
        .where("r.mode", "<>", "live"),
    ),
);

/**
 * What the end user sees in their chat thread, linked to the run that wrote it. A scratch run
 * (replay, shadow: lib/replay) tells the customer nothing: its text is kept apart, in
 * scratch_messages. One statement either way, so a live run pays nothing for the check. Stamped
 * with the clock, not the transaction's start, so two messages of one transaction keep their order.
 */
export async function postAssistantMessage(
  tx: Tx,
  run: { id: string; conversationId: string },
  text: string,
) {
  await post(tx, { runId: run.id, conversationId: run.conversationId, text });
}
