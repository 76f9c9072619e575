import "server-only";
import type { Tx } from "@/lib/db";

/** What the end user sees in their chat thread, linked to the run that wrote it. */
export async function postAssistantMessage(tx: Tx, run: { id: string; conversationId: string }, text: string) {
  await tx.message.create({ data: { conversationId: run.conversationId, author: "assistant", text, runId: run.id } });
}
