import "server-only";
import { visibleQueues, type QueueScope } from "@/lib/approvals/queues";
import type { Actor } from "@/lib/auth/actor";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { toMessage, visibleTo, type LiveEvent, type LiveMessage, type ThreadView } from "./events";
import { inQueues, needsQueueCheck } from "./item-queues";
import { subscribe, type LiveSignal } from "./listener";
import { carriesThread, threadPush } from "./thread-push";
import { eventsSince, latestEventId } from "./replay";

// One reader's Server-Sent Events stream. Every event is checked against the reader before it
// is written (visibleTo, and for a reviewer an item's queue against the queues they work), and the
// reader's account and queues are read again every heartbeat and the account at once when it
// changes: a deactivated account, or one whose role changed, has its stream closed. Events are
// written in the order they came, even while an item's queue is being read, so the browser's
// Last-Event-ID never skips one still to come. A customer's events bring their thread with them
// (thread-push.ts).

const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting after the stream drops (the SSE `retry` field). */
const RETRY_MS = 2_000;
/** Ids already written, so a replay and the live feed never send one twice (bounded). */
const REMEMBERED_IDS = 4_096;

const encoder = new TextEncoder();
const frame = (id: bigint | null, message: LiveMessage) =>
  encoder.encode(`${id === null ? "" : `id: ${id}\n`}data: ${JSON.stringify(message)}\n\n`);

export type LiveStreamOptions = {
  /** The signed-in customer's thread as GET /api/chat gives it: sent with their thread's events. */
  readThread?: () => Promise<ThreadView>;
};

export async function openLiveStream(
  actor: Actor,
  lastEventId: bigint | null,
  signal: AbortSignal,
  { readThread }: LiveStreamOptions = {},
): Promise<Response> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let replaying = true;
  let cursor = lastEventId ?? 0n; // the newest id seen; a gap is replayed from here
  const buffered: LiveEvent[] = [];
  const sent = new Set<bigint>();
  const customerOnly = actor.role === "user" ? actor.id : null;
  const reviewer = (SURFACE_ROLES.inbox as readonly string[]).includes(actor.role);
  /** The team queues this reviewer works (null for a customer): read at the start and every heartbeat. */
  let queues: QueueScope | null = null;
  /** Deliveries in arrival order: each waits for the one before it. */
  let delivering: Promise<void> = Promise.resolve();
  /** A customer's thread, sent with their thread's events (thread-push.ts). */
  const thread = readThread && customerOnly !== null ? threadPush(readThread) : null;

  const write = (bytes: Uint8Array) => {
    if (closed) return;
    try {
      controller.enqueue(bytes);
    } catch {
      close();
    }
  };
  const deliverNow = async (event: LiveEvent) => {
    if (event.id > cursor) cursor = event.id;
    if (event.kind === "account" && event.userId === actor.id) return void recheckAccount();
    const message = visibleTo(actor, event) ? toMessage(event) : null;
    if (!message || sent.has(event.id)) return;
    if (queues && needsQueueCheck(event) && !(await inQueues(queues, event))) return;
    if (sent.has(event.id)) return; // a replay and the live feed may both have brought it meanwhile
    sent.add(event.id);
    if (sent.size > REMEMBERED_IDS) sent.delete(sent.values().next().value!);
    if (thread && (message.kind === "thread" || message.kind === "run"))
      await thread.fill(message, event);
    write(frame(event.id, message));
  };
  const deliver = (event: LiveEvent): Promise<void> => {
    const withThread = thread !== null && carriesThread(event) && visibleTo(actor, event);
    if (withThread) thread.queue();
    return (delivering = delivering
      .then(async () => {
        if (withThread) thread.dequeue();
        await deliverNow(event);
        if (withThread) await thread.settle((message) => write(frame(null, message)));
      })
      // An unreadable queue is not a verdict to deliver: the event is dropped, logged, and the next goes on.
      .catch((error: unknown) => log.error("live stream delivery", { error })));
  };
  const replayFrom = async (after: bigint) => {
    const since = await eventsSince(after, customerOnly);
    if (since.reset) write(frame(await latestEventId(), { kind: "reset" }));
    else since.events.forEach((event) => void deliver(event));
    await delivering;
  };
  const onSignal = (signal: LiveSignal) => {
    if ("gap" in signal)
      return void replayFrom(cursor).catch((error: unknown) =>
        log.error("live stream replay", { error }),
      );
    if (replaying) buffered.push(signal.event);
    else void deliver(signal.event);
  };

  let unsubscribe = () => {};
  const timers: { heartbeat?: NodeJS.Timeout } = {};
  function close() {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(timers.heartbeat);
    try {
      controller.close();
    } catch {
      // already closed by the client going away
    }
  }
  async function recheckAccount() {
    const user = await db.user
      .findUnique({ where: { id: actor.id }, select: { active: true, role: true } })
      .catch(() => undefined);
    // A failed read is not a verdict: the next heartbeat asks again.
    if (user === null || (user && (!user.active || user.role !== actor.role))) close();
  }
  /** A reviewer's queues change with their teams and hand-overs: read again, kept if the read fails. */
  async function rereadQueues() {
    if (reviewer) queues = await visibleQueues(actor.id).catch(() => queues);
  }

  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel: () => close(),
  });
  if (reviewer) queues = await visibleQueues(actor.id);
  // Listening before reading the table: whatever commits in between is buffered, not missed.
  unsubscribe = await subscribe(onSignal, customerOnly);
  signal.addEventListener("abort", close, { once: true });
  try {
    write(encoder.encode(`retry: ${RETRY_MS}\n\n`));
    if (lastEventId === null) {
      cursor = await latestEventId();
      write(frame(cursor, { kind: "ready", ...(await thread?.current()) }));
    } else {
      await replayFrom(lastEventId);
      write(frame(null, { kind: "ready", ...(await thread?.current()) }));
    }
    replaying = false;
    buffered.splice(0).forEach((event) => void deliver(event));
  } catch (error) {
    close();
    throw error;
  }
  timers.heartbeat = setInterval(() => {
    write(encoder.encode(": keep-alive\n\n"));
    void recheckAccount();
    void rereadQueues();
  }, HEARTBEAT_MS);
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      // A proxy in front must pass each event on as it comes, not buffer the response.
      "x-accel-buffering": "no",
    },
  });
}
