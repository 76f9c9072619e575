import "server-only";
import pg from "pg";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { LIVE_CHANNEL, liveEventSchema, type LiveEvent } from "./events";

// One LISTEN connection per process, fanned out in memory to every open stream: 200 streams cost
// one database connection, not 200. A notification missed while the connection was down is not
// lost: after reconnecting, every subscriber is told "gap" and re-reads the events table from
// its own cursor.

export type LiveSignal = { event: LiveEvent } | { gap: true };
type Subscriber = (signal: LiveSignal) => void;

const RECONNECT_MS = 1_000;
const CONNECT_WAIT_MS = 5_000;

type ListenerState = {
  /** Streams that hear every event (a reviewer's: each event is checked against them). */
  subscribers: Set<Subscriber>;
  /** Streams that hear only one user's events (a customer's), by that user's id. */
  byUser: Map<string, Set<Subscriber>>;
  client: pg.Client | null;
  connecting: Promise<void> | null;
  stopped: boolean;
};
const globalForLive = globalThis as unknown as { countersignLive?: ListenerState };
const state = (globalForLive.countersignLive ??= {
  subscribers: new Set(),
  byUser: new Map(),
  client: null,
  connecting: null,
  stopped: false,
});

function fanOut(signal: LiveSignal) {
  const userId = "event" in signal ? signal.event.userId : null;
  const targets =
    "gap" in signal
      ? [state.subscribers, ...state.byUser.values()]
      : [
          state.subscribers,
          ...(userId && state.byUser.has(userId) ? [state.byUser.get(userId)!] : []),
        ];
  for (const subscribers of targets)
    for (const subscriber of subscribers) {
      try {
        subscriber(signal);
      } catch (error) {
        log.error("live stream subscriber", { error });
      }
    }
}

async function connect(): Promise<void> {
  const client = new pg.Client({
    connectionString: env().DATABASE_URL,
    keepAlive: true,
    application_name: "countersign-live",
  });
  let reconnecting = false;
  const reconnect = (error?: unknown) => {
    if (reconnecting || state.stopped) return;
    reconnecting = true;
    if (error) log.warn("live stream listener lost its connection", { error });
    if (state.client === client) state.client = null;
    client.end().catch(() => {});
    setTimeout(
      () => void ensureListening().then(() => fanOut({ gap: true })),
      RECONNECT_MS,
    ).unref();
  };
  client.on("notification", (message) => {
    if (message.channel !== LIVE_CHANNEL || !message.payload) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message.payload);
    } catch {
      return; // not ours: the triggers write JSON
    }
    const parsed = liveEventSchema.safeParse(payload);
    if (parsed.success) fanOut({ event: parsed.data });
  });
  client.on("error", reconnect);
  client.on("end", () => reconnect());
  try {
    await client.connect();
    await client.query(`LISTEN ${LIVE_CHANNEL}`);
  } catch (error) {
    reconnecting = true; // this attempt is over; ensureListening tries again
    await client.end().catch(() => {});
    throw error;
  }
  state.client = client;
}

/** Starts this process's listening connection if it is not up, retrying until it is. */
export function ensureListening(): Promise<void> {
  if (state.client || state.stopped) return Promise.resolve();
  state.connecting ??= (async () => {
    while (!state.stopped && !state.client) {
      try {
        await connect();
      } catch (error) {
        log.warn("live stream listener could not connect; retrying", { error });
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS).unref());
      }
    }
  })().finally(() => {
    state.connecting = null;
  });
  return state.connecting;
}

/**
 * Receives every event of the database (and "gap" after a reconnect) until the returned function
 * is called; with `onlyUser`, only that user's events (a customer's stream: with 200 customers
 * watching, each event then wakes one stream, not 200). Refused when the listening connection
 * cannot be had within a few seconds: the browser then keeps polling.
 */
export async function subscribe(
  subscriber: Subscriber,
  onlyUser: string | null = null,
): Promise<() => void> {
  state.stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const unavailable = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            "unavailable",
            "Live updates are unavailable right now; the page keeps refreshing on its own.",
          ),
        ),
      CONNECT_WAIT_MS,
    );
  });
  try {
    await Promise.race([ensureListening(), unavailable]);
  } finally {
    clearTimeout(timer);
  }
  if (onlyUser === null) {
    state.subscribers.add(subscriber);
    return () => void state.subscribers.delete(subscriber);
  }
  const mine = state.byUser.get(onlyUser) ?? new Set<Subscriber>();
  state.byUser.set(onlyUser, mine.add(subscriber));
  return () => {
    mine.delete(subscriber);
    if (mine.size === 0 && state.byUser.get(onlyUser) === mine) state.byUser.delete(onlyUser);
  };
}

/** Closes the listening connection (tests, shutdown). */
export async function stopListening() {
  state.stopped = true;
  const client = state.client;
  state.client = null;
  await client?.end().catch(() => {});
}
