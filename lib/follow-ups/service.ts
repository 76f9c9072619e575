import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { formatAgo } from "@/lib/format";
import { recordEvent } from "@/lib/trace/events";
import { replyInput, type ReplyInput } from "./inputs";

export const FOLLOW_UP_PAGE_SIZE = 50;

export const followUpStatus = z.enum(["open", "answered"], { message: "Choose open or answered" });

export { replyInput, type ReplyInput };

export type FollowUpView = {
  id: string;
  runId: string;
  reason: string;
  status: "open" | "answered";
  createdAt: string;
  customer: { name: string; email: string };
  request: string;
  /** What the user was last told in this run, so the reply can pick up from it. */
  lastAnswer: string | null;
  answered: { by: string; at: string; text: string | null } | null;
};

/** Follow-ups in one status: open ones oldest first (the longest wait first), answered newest first. */
export async function listFollowUps(
  status: z.infer<typeof followUpStatus>,
): Promise<FollowUpView[]> {
  const rows = await db.followUp.findMany({
    where: { status },
    orderBy:
      status === "open"
        ? [{ createdAt: "asc" }, { id: "asc" }]
        : [{ answeredAt: "desc" }, { id: "desc" }],
    take: FOLLOW_UP_PAGE_SIZE,
    include: {
      answeredBy: { select: { email: true } },
      run: { select: { request: true, user: { select: { name: true, email: true } } } },
    },
  });
  const messages = await db.message.findMany({
    where: { runId: { in: rows.map((f) => f.runId) }, author: { in: ["assistant", "staff"] } },
    orderBy: { createdAt: "desc" },
    select: { runId: true, author: true, text: true },
  });
  const latest = (runId: string, author: "assistant" | "staff") =>
    messages.find((m) => m.runId === runId && m.author === author)?.text ?? null;
  return rows.map((f) => ({
    id: f.id,
    runId: f.runId,
    reason: f.reason,
    status: f.status,
    createdAt: f.createdAt.toISOString(),
    customer: f.run.user,
    request: f.run.request,
    lastAnswer: latest(f.runId, "assistant"),
    answered:
      f.answeredBy && f.answeredAt
        ? { by: f.answeredBy.email, at: f.answeredAt.toISOString(), text: latest(f.runId, "staff") }
        : null,
  }));
}

export const openFollowUpCount = () => db.followUp.count({ where: { status: "open" } });

/**
 * A team member answers in the user's own thread. Conditional on the follow-up still being open,
 * so two people replying at once send one reply, and the second is told who answered.
 */
export async function replyToFollowUp(
  actor: Actor,
  input: ReplyInput,
): Promise<{ answeredAt: string }> {
  return db.$transaction(async (tx) => {
    const followUp = await tx.followUp.findUnique({
      where: { id: input.followUpId },
      include: { run: { select: { conversationId: true, userId: true } } },
    });
    if (!followUp) throw new AppError("not_found", "This follow-up does not exist.");
    if (followUp.run.userId === actor.id)
      throw new AppError(
        "forbidden",
        "You made this request yourself; someone else on the team must answer it.",
      );
    const answeredAt = new Date();
    const moved = await tx.followUp.updateMany({
      where: { id: followUp.id, status: "open" },
      data: { status: "answered", answeredById: actor.id, answeredAt },
    });
    if (moved.count === 0) {
      const current = await tx.followUp.findUniqueOrThrow({
        where: { id: followUp.id },
        include: { answeredBy: { select: { email: true, name: true } } },
      });
      // In words for the reader; the structured facts stay in the details for API clients.
      const who = current.answeredBy
        ? current.answeredBy.name.trim() || current.answeredBy.email
        : "Someone";
      const when = current.answeredAt
        ? ` ${formatAgo(current.answeredAt, answeredAt.getTime())}`
        : "";
      throw new AppError("conflict", `${who} answered it${when}; your reply was not sent.`, {
        status: "answered",
        answeredBy: current.answeredBy?.email ?? null,
        answeredAt: current.answeredAt?.toISOString() ?? null,
      });
    }
    await tx.message.create({
      data: {
        conversationId: followUp.run.conversationId,
        author: "staff",
        staffId: actor.id,
        text: input.text,
        runId: followUp.runId,
      },
    });
    await recordEvent(tx, {
      runId: followUp.runId,
      kind: "follow_up",
      name: `answered by ${actor.email}`,
      data: { by: actor.email },
    });
    return { answeredAt: answeredAt.toISOString() };
  });
}
