"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { sendMessage } from "@/lib/chat/actions";
import { useLiveConnected, useLiveInterval } from "@/components/live/live-updates";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { ChatView } from "@/lib/chat/service";
import { queryKeys } from "@/lib/query-keys";
import { Button } from "@/components/ui/button";
import { formatMessageTime, shortQuote } from "@/lib/format";
import { Textarea } from "@/components/ui/textarea";

const BUBBLE: Record<ChatView["messages"][number]["author"], string> = {
  user: "bg-slate-900 text-white",
  assistant: "bg-slate-100 text-slate-900",
  staff: "border border-emerald-200 bg-emerald-50 text-slate-900",
};

async function fetchChat(): Promise<ChatView> {
  const response = await fetch("/api/chat", { cache: "no-store" });
  if (!response.ok) throw new Error("Could not load the conversation");
  return response.json();
}

export function ChatThread({ initial, examples = [] }: { initial: ChatView; examples?: string[] }) {
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  // Uncontrolled, so what someone types while the page is still hydrating is kept, not reset.
  const form = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string | null>(null);
  const bottom = useRef<HTMLLIElement>(null);

  const live = useLiveConnected();
  const busyInterval = useLiveInterval(1000, 30_000);
  const idleInterval = useLiveInterval(5000);
  const { data } = useQuery({
    queryKey: queryKeys.chat,
    queryFn: fetchChat,
    initialData: initial,
    // The stream re-reads the thread when it changes; polling is the fallback while the stream is
    // down: quickly while a request is in flight (a reviewer may decide any moment), slowly otherwise.
    refetchInterval: (query) =>
      (query.state.data?.pending.length ?? 0) > 0 ? busyInterval : idleInterval,
  });

  const field = () => form.current?.elements.namedItem("message") as HTMLTextAreaElement | null;
  // A message that was not sent goes back in the field, unless the customer typed anew meanwhile.
  const giveBack = (text: string) => {
    const input = field();
    if (input && input.value === "") input.value = text;
  };
  const send = useMutation({
    mutationFn: (text: string) => sendMessage({ text }),
    onSuccess: (result, text) => {
      if (!result.ok) {
        giveBack(text);
        return setError(result.error.message);
      }
      setError(null);
      // With the stream up, the thread (the message just sent in it) comes with the stream's event.
      if (!live) void queryClient.invalidateQueries({ queryKey: queryKeys.chat });
    },
    onError: (_error, text) => {
      giveBack(text);
      setError("Could not send your message. Check your connection and try again.");
    },
  });

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [data.messages.length]);

  const waiting = data.pending.some((p) => p.status === "awaiting_approval");
  const working = data.pending.some((p) => p.status !== "awaiting_approval");
  // Each customer message is the request its run answers: an answer far from it links back to it.
  const requests = new Map(
    data.messages.filter((m) => m.author === "user" && m.runId).map((m) => [m.runId!, m]),
  );

  return (
    <section className="mt-6 flex flex-col rounded-xl border border-slate-200 bg-white">
      {/* Focusable, so a keyboard reader can scroll back through a long conversation. */}
      <ol
        aria-label="Conversation"
        aria-live="polite"
        tabIndex={0}
        className="flex max-h-[60vh] min-h-64 flex-col gap-3 overflow-y-auto p-4"
      >
        {data.messages.length === 0 && (
          <li className="text-sm text-slate-500">
            No messages yet.
            {examples.length > 0 && ` Try: ${examples.map((e) => `“${e}”`).join(", or ")}.`}
          </li>
        )}
        {data.messages.map((m, i) => {
          const request = m.author !== "user" && m.runId ? requests.get(m.runId) : undefined;
          // Linked when something else came between the request and this answer (the first of the answer's messages).
          const answersEarlier =
            request &&
            data.messages[i - 1]?.runId !== m.runId &&
            data.messages[i - 1]?.id !== request.id;
          return (
            <li
              key={m.id}
              id={`message-${m.id}`}
              className={m.author === "user" ? "ml-12 self-end" : "mr-12 self-start"}
            >
              <p
                className={`mb-1 text-xs ${m.author === "staff" ? "font-medium text-emerald-800" : "text-slate-500"} ${m.author === "user" ? "text-right" : ""}`}
              >
                {m.author === "user"
                  ? "You"
                  : m.author === "staff"
                    ? `${m.staffName ?? "A team member"} · from our team`
                    : "Assistant"}{" "}
                ·{" "}
                {/* In the reader's own time zone: written once the page runs in their browser. */}
                <time dateTime={m.createdAt}>{hydrated ? formatMessageTime(m.createdAt) : ""}</time>
              </p>
              {answersEarlier && (
                <p className="mb-1 text-xs text-slate-500">
                  In reply to{" "}
                  <a href={`#message-${request.id}`} className="underline">
                    “{shortQuote(request.text, 80)}”
                    {hydrated && ` (${formatMessageTime(request.createdAt)})`}
                  </a>
                </p>
              )}
              <div
                className={`whitespace-pre-wrap rounded-2xl px-4 py-2 ${BUBBLE[m.author]}`}
                data-author={m.author}
              >
                {m.text}
              </div>
            </li>
          );
        })}
        {working && <li className="text-sm text-slate-500">The assistant is working on it…</li>}
        {waiting && data.waitingLine && (
          // The status role sits inside the item: a list holds only list items.
          <li className="text-sm text-amber-700">
            <span role="status">{data.waitingLine}</span>
          </li>
        )}
        <li ref={bottom} aria-hidden="true" />
      </ol>
      <form
        ref={form}
        className="flex gap-2 border-t border-slate-200 p-3"
        onSubmit={(e) => {
          e.preventDefault();
          const input = field();
          if (send.isPending || !input) return;
          // Emptied as it is sent, not when the send returns: the answer can come first (on the
          // stream), and a next message typed by then would be wiped.
          const text = input.value;
          input.value = "";
          send.mutate(text);
        }}
      >
        <label htmlFor="message" className="sr-only">
          Message
        </label>
        <Textarea
          id="message"
          name="message"
          rows={2}
          maxLength={2000}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          className="flex-1 resize-none px-3 py-2"
          placeholder="Write a message"
        />
        <Button type="submit" disabled={send.isPending || !hydrated} variant="primary">
          Send
        </Button>
      </form>
      {error && (
        <p
          role="alert"
          className="border-t border-red-100 bg-red-50 px-4 py-2 text-sm text-red-700"
        >
          {error}
        </p>
      )}
    </section>
  );
}
