import "server-only";
import type { Tx } from "@/lib/db";

/** What the end user sees in their chat thread, linked to the run that wrote it. */
export async function postAssistantMessage(tx: Tx, run: { id: string; conversationId: string }, text: string) {
  // ── scratch runs (lib/replay, lib/shadow): nothing reaches the customer; the text is kept apart ──
  const { mode } = await tx.run.findUniqueOrThrow({ where: { id: run.id }, select: { mode: true } });
  if (mode !== "live") {
    await tx.scratchMessage.create({ data: { runId: run.id, text } });
    return;
  }
  await tx.message.create({ data: { conversationId: run.conversationId, author: "assistant", text, runId: run.id } });
}
