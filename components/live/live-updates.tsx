"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useRef, useState } from "react";
import { coalesce } from "@/lib/live/coalesce";
import type { LiveMessage, ThreadView } from "@/lib/live/events";
import { queryKeys } from "@/lib/query-keys";

// One EventSource per tab (GET /api/stream): each event names what changed, and the matching
// TanStack Query keys are invalidated, so the data is re-read through the reader's own
// authenticated requests. A customer's thread comes with its events: it is put in place as it is,
// with no request (a re-read already under way is cancelled, so an older answer cannot overwrite it). While the stream is up, polling slows to a safety net (useLiveInterval);
// while it is down (refused, or reconnecting), the usual intervals come back.

type Listener = (message: LiveMessage) => void;
type LiveContextValue = {
  connected: boolean;
  setConnected: (up: boolean) => void;
  listeners: Set<Listener>;
};

const LiveContext = createContext<LiveContextValue | null>(null);

export function LiveUpdatesProvider({ children }: { children: React.ReactNode }) {
  const [connected, setConnected] = useState(false);
  const [listeners] = useState(() => new Set<Listener>());
  const value = useMemo(() => ({ connected, setConnected, listeners }), [connected, listeners]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** What an event makes stale, most urgent first: the customer's thread, then the console's lists and counts. */
function invalidateFor(
  invalidate: (queryKey: readonly unknown[]) => void,
  invalidateLater: (queryKey: readonly unknown[]) => void,
  message: LiveMessage,
  putThread: (thread: ThreadView) => void,
) {
  switch (message.kind) {
    case "thread":
    case "run":
      // A thread that follows, or is unchanged (a run only started), needs no request.
      if (message.thread) putThread(message.thread);
      else if (!message.threadFollows && !message.threadUnchanged) invalidate(queryKeys.chat);
      return;
    case "approval":
      invalidate(queryKeys.inboxAll);
      invalidate(queryKeys.pendingCount);
      invalidate(queryKeys.notifications);
      // An open packet's warnings weigh the other pending calls: one parked or decided since
      // it opened can add or clear a conflict. Its re-read asks the tool's own system (the
      // shop), so a busy queue's stream of events costs it at most one a second.
      invalidateLater(queryKeys.packetFactsAll);
      return;
    case "follow-up":
      invalidate(queryKeys.followUpCount);
      return;
    case "notification":
      invalidate(queryKeys.notifications);
      return;
    case "ready":
    case "reset":
      // Opened, or resumed too late to replay: whatever changed meanwhile is re-read (a
      // customer's thread comes with the stream's `ready`).
      if (message.kind === "ready" && message.thread) putThread(message.thread);
      else invalidate(queryKeys.chat);
      for (const key of [
        queryKeys.inboxAll,
        queryKeys.pendingCount,
        queryKeys.notifications,
        queryKeys.followUpCount,
        queryKeys.packetFactsAll,
      ])
        invalidate(key);
  }
}

/** At most this often, open packets re-read their live facts on the stream's word. */
const FACTS_REREAD_MS = 1_000;

/** Opens this tab's stream; mounted once, in the signed-in frame. */
export function LiveStream() {
  const queryClient = useQueryClient();
  const context = useContext(LiveContext);
  const setConnected = context?.setConnected;
  const listeners = context?.listeners;
  useEffect(() => {
    if (typeof EventSource === "undefined" || !setConnected || !listeners) return;
    const source = new EventSource("/api/stream");
    // A burst of events names the same lists again and again: each is re-read once after it.
    const invalidate = coalesce((queryKey) => void queryClient.invalidateQueries({ queryKey }));
    const invalidateLater = coalesce(
      (queryKey) => void queryClient.invalidateQueries({ queryKey }),
      FACTS_REREAD_MS,
    );
    // Threads are put in place in the order they came: a cancelled re-read settles first.
    let putting = Promise.resolve();
    const putThread = (thread: ThreadView) =>
      void (putting = putting
        .then(() => queryClient.cancelQueries({ queryKey: queryKeys.chat }))
        .then(() => void queryClient.setQueryData(queryKeys.chat, thread)));
    // The browser reconnects by itself (sending Last-Event-ID); until it has, polling covers.
    source.onerror = () => setConnected(false);
    source.onmessage = (event: MessageEvent<string>) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(event.data) as LiveMessage;
      } catch {
        return;
      }
      if (message.kind === "ready") setConnected(true);
      invalidateFor(invalidate, invalidateLater, message, putThread);
      listeners.forEach((listener) => listener(message));
    };
    return () => {
      source.close();
      setConnected(false);
    };
  }, [queryClient, setConnected, listeners]);
  return null;
}

/** The polling interval to use: `fallbackMs` while the stream is down, `whileLiveMs` (a safety net) while it is up. */
export function useLiveInterval(fallbackMs: number, whileLiveMs = 60_000): number {
  return useContext(LiveContext)?.connected ? whileLiveMs : fallbackMs;
}

/** Whether this tab's stream is up: what it brings need not be re-read. */
export function useLiveConnected(): boolean {
  return useContext(LiveContext)?.connected ?? false;
}

/** Calls `onMessage` for every event of this tab's stream (e.g. to refresh a server-rendered page). */
export function useLiveMessages(onMessage: Listener) {
  const listeners = useContext(LiveContext)?.listeners;
  const latest = useRef(onMessage);
  useEffect(() => {
    latest.current = onMessage;
  });
  useEffect(() => {
    if (!listeners) return;
    const listener: Listener = (message) => latest.current(message);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, [listeners]);
}
