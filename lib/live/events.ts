import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import type { ChatView } from "@/lib/chat/service";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { RunStatus } from "@/lib/generated/prisma/enums";

// What the live stream carries: pointers to what changed (a kind and ids). The browser refetches
// the data through its own authenticated requests, so an event can tell a reader no more than
// that something of theirs moved; the one exception is a customer's own thread, which their
// stream reads for them with the same scoping as GET /api/chat and sends with the event. Written by the database's triggers
// (migration live_events) in the transaction of the change, and announced by a NOTIFY on commit.

export const LIVE_CHANNEL = "countersign_live";

export const LIVE_KINDS = [
  "thread",
  "run",
  "approval",
  "follow-up",
  "notification",
  "account",
] as const;
export type LiveKind = (typeof LIVE_KINDS)[number];

const uuid = z.uuid().nullable().catch(null);
export const liveEventSchema = z.object({
  id: z.coerce.bigint(),
  kind: z.enum(LIVE_KINDS),
  /** The customer whose thread or run it is: the filter, never sent to a browser. */
  userId: uuid,
  conversationId: uuid,
  runId: uuid,
  approvalId: uuid,
  /** A run event's new status, and the one it left (null: just created); null for other kinds. */
  runStatus: z.enum(RunStatus).nullable().catch(null),
  runPreviousStatus: z.enum(RunStatus).nullable().catch(null),
  /** An approval event for an item moved to another queue, and the team it left (null: everyone's). */
  approvalMoved: z.boolean().catch(false),
  approvalTeamLeft: z.string().nullable().catch(null),
});
export type LiveEvent = z.infer<typeof liveEventSchema>;

/** A customer's thread, as GET /api/chat gives it: read for them by their own stream. */
export type ThreadView = ChatView;

/**
 * The thread as read after the event, or word that the next event brings it, or that the chat's
 * thread is as it was (a run that only started running: nothing the chat shows changed).
 */
type WithThread = { thread?: ThreadView; threadFollows?: true; threadUnchanged?: true };

/**
 * What a browser receives: the pointer without the owner. A customer's thread and run events may
 * carry their thread, read by their stream after the change (lib/live/stream.ts).
 */
export type LiveMessage =
  | ({ kind: "thread"; conversationId: string | null; runId: string | null } & WithThread)
  | ({ kind: "run"; runId: string | null } & WithThread)
  | { kind: "approval"; approvalId: string | null; runId: string | null }
  | { kind: "follow-up"; runId: string | null }
  | { kind: "notification"; approvalId: string | null }
  // Resuming was not possible (the events after Last-Event-ID were pruned): re-read everything.
  | { kind: "reset" }
  // The stream is open; its id is where a reconnect resumes. A customer's brings their thread.
  | { kind: "ready"; thread?: ThreadView };

const CUSTOMER_KINDS: ReadonlySet<LiveKind> = new Set(["thread", "run"]);
// Reviewers see what the inbox, follow-ups, notifications and run pages show. An item in a team's
// queue is narrowed further, to the reviewers who work that queue, by the stream (item-queues.ts):
// knowing its team takes a read this pure check does not do.
const REVIEWER_KINDS: ReadonlySet<LiveKind> = new Set([
  "run",
  "approval",
  "follow-up",
  "notification",
]);
const reviews = (actor: Actor) => (SURFACE_ROLES.inbox as readonly string[]).includes(actor.role);

/** Whether `actor` may learn of `event`: a customer only of their own thread and runs, a reviewer of the console's items. */
export function visibleTo(actor: Actor, event: LiveEvent): boolean {
  if (reviews(actor)) return REVIEWER_KINDS.has(event.kind);
  return CUSTOMER_KINDS.has(event.kind) && event.userId === actor.id;
}

export function toMessage(event: LiveEvent): LiveMessage | null {
  switch (event.kind) {
    case "thread":
      return { kind: "thread", conversationId: event.conversationId, runId: event.runId };
    case "run":
      return { kind: "run", runId: event.runId };
    case "approval":
      return { kind: "approval", approvalId: event.approvalId, runId: event.runId };
    case "follow-up":
      return { kind: "follow-up", runId: event.runId };
    case "notification":
      return { kind: "notification", approvalId: event.approvalId };
    case "account":
      return null;
  }
}
