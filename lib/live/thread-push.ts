import "server-only";
import { log } from "@/lib/log";
import type { LiveEvent, LiveMessage, ThreadView } from "./events";

// A customer's thread comes with their stream's events (lib/live/stream.ts), so the chat shows an
// answer without a request of its own. A turn writes five events in a burst; the thread is read
// once for them: an event with a later one of the thread already queued behind it says so
// (`threadFollows`), and the last carries the thread as read after all of them. If that last one
// is not sent after all (a replay and the live feed both brought it), the thread is sent on its
// own. A failed read sends the bare pointer, and the chat re-reads the thread itself. A run that
// only started running (routing to running, one of a turn's three bursts) changes nothing the chat
// shows (queued and running both read "working on it"), so on its own it is sent read-free, saying
// the thread is unchanged; a resume after a decision (from awaiting_approval) is read as before.

type ThreadMessage = Extract<LiveMessage, { kind: "thread" | "run" }>;

export const carriesThread = (event: LiveEvent) => event.kind === "thread" || event.kind === "run";

/** A run's move from routing to running: what the chat showed of it (working) stays as it was. */
const onlyStarted = (event: LiveEvent) =>
  event.kind === "run" && event.runStatus === "running" && event.runPreviousStatus === "routing";

export function threadPush(readThread: () => Promise<ThreadView>) {
  let queued = 0;
  let owed = false;
  const read = () =>
    readThread().catch((error: unknown) => {
      log.warn("live stream thread read", { error });
      return null;
    });
  return {
    /** A thread event joined the deliveries' queue. */
    queue: () => void (queued += 1),
    /** It left the queue, to be delivered now. */
    dequeue: () => void (queued -= 1),
    /** Fills in the thread, or says it follows, or that it is unchanged. */
    async fill(message: ThreadMessage, event: LiveEvent): Promise<void> {
      if (queued > 0) {
        message.threadFollows = true;
        owed = true;
        return;
      }
      // Unless an earlier event of the burst promised the thread: that one is read now.
      if (!owed && onlyStarted(event)) {
        message.threadUnchanged = true;
        return;
      }
      owed = false;
      const thread = await read();
      if (thread) message.thread = thread;
    },
    /** The thread as it is now, for the stream's `ready` (read after it started listening). */
    async current(): Promise<{ thread?: ThreadView }> {
      const thread = await read();
      return thread ? { thread } : {};
    },
    /** After a delivery: the thread promised by an event whose successor was not sent, on its own. */
    async settle(send: (message: LiveMessage) => void): Promise<void> {
      if (!owed || queued > 0) return;
      owed = false;
      const thread = await read();
      send({ kind: "thread", conversationId: null, runId: null, ...(thread && { thread }) });
    },
  };
}
