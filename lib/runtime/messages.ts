import "server-only";
import type { Tx } from "@/lib/db";

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
  await tx.$executeRaw`
    with r as (select mode from runs where id = ${run.id}::uuid),
    said as (
      insert into messages (id, conversation_id, author, text, run_id, created_at)
      select gen_random_uuid(), ${run.conversationId}::uuid, 'assistant'::"MessageAuthor", ${text}, ${run.id}::uuid, timezone('utc', clock_timestamp()) from r where r.mode = 'live'
      returning 1
    )
    insert into scratch_messages (id, run_id, text, created_at)
    select gen_random_uuid(), ${run.id}::uuid, ${text}, timezone('utc', clock_timestamp()) from r where r.mode <> 'live'`;
}
