import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { enqueueAdvance } from "@/lib/jobs/queue";
import { modelProvider } from "@/lib/model";
import { admitTurn } from "@/lib/spend/turn-gate";
import { describeCall, toolFor } from "@/lib/customer-text/describe";
import { waitingLine } from "@/lib/customer-text/messages";
import { isoFromJson, readThreadRows } from "./thread-read";

export const messageInput = z.object({
  text: z
    .string()
    .trim()
    .min(1, "Write a message first")
    .max(2000, "Keep messages under 2,000 characters"),
});

/**
 * The user's turn: admitted by the per-user limits, stored, and a run queued to answer it, in one
 * transaction. A refused turn writes nothing (no message, run or job): the user keeps their text.
 */
export async function startTurn(actor: Actor, input: z.infer<typeof messageInput>) {
  return db.$transaction(async (tx) => {
    // The gate reads the user's latest conversation in its one statement under the lock.
    const admitted = await admitTurn(tx, actor.id);
    const conversationId =
      admitted.conversationId ?? (await tx.conversation.create({ data: { userId: actor.id } })).id;
    const run = await tx.run.create({
      data: {
        conversationId,
        userId: actor.id,
        request: input.text,
        modelProvider: modelProvider().name,
        deadlineAt: new Date(Date.now() + 300_000),
      },
    });
    const message = await tx.message.create({
      data: { conversationId, author: "user", text: input.text, runId: run.id },
    });
    await enqueueAdvance(tx, run.id);
    return { messageId: message.id, runId: run.id };
  });
}

export type ChatView = {
  /** `staffName` names the team member who wrote a staff message (a reply to a follow-up). */
  /** `runId` links a message to the run of the turn it belongs to (a client waiting on a turn looks for it). */
  messages: Array<{
    id: string;
    author: "user" | "assistant" | "staff";
    text: string;
    createdAt: string;
    runId?: string;
    staffName?: string;
  }>;
  /** Runs still in flight, so the thread can say what it is waiting for. */
  pending: Array<{ runId: string; status: string }>;
  /** What waits for our team, in the customer's words ("2 requests are waiting for our team: …"); null when nothing does. */
  waitingLine: string | null;
  model: string;
};

export async function chatView(actor: Actor): Promise<ChatView> {
  const model = modelProvider().name;
  const thread = await readThreadRows(actor.id);
  if (!thread) return { messages: [], pending: [], waitingLine: null, model };
  return {
    messages: thread.messages.reverse().map((m) => ({
      id: m.id,
      author: m.author,
      text: m.text,
      createdAt: isoFromJson(String(m.createdAt)),
      ...(m.runId && { runId: m.runId }),
      ...(m.staffName && { staffName: m.staffName }),
    })),
    pending: thread.inFlight.map((r) => ({ runId: r.runId, status: r.status })),
    waitingLine: waitingLine(
      thread.waiting.map((a) => describeCall(toolFor(a.agent, a.tool), a.arguments)),
    ),
    model,
  };
}
