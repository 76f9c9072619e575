"use client";

import Link from "next/link";
import type { InAppNotifications } from "@/lib/notifications/in-app";
import { formatAge } from "@/lib/format";
import { Button } from "./button";

export type MarkRead = { ids: string[] } | { all: true };

type Props = {
  id: string;
  data: InAppNotifications | undefined;
  unavailable: boolean;
  busy: boolean;
  onMarkRead: (input: MarkRead) => void;
  onNavigate: () => void;
};

/** The panel under the bell: the latest parked items, unread first in weight, each linking to its packet. */
export function NotificationList({ id, data, unavailable, busy, onMarkRead, onNavigate }: Props) {
  const items = data?.items ?? [];
  return (
    <section
      id={id}
      aria-label="Notifications"
      className="absolute right-0 z-20 mt-2 w-96 rounded-lg border border-slate-200 bg-white text-sm shadow-lg"
    >
      <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
        <h2 className="font-semibold">Notifications</h2>
        <Button
          variant="link"
          size="inline"
          disabled={busy || !data?.unread}
          onClick={() => onMarkRead({ all: true })}
          className="text-xs text-slate-700"
        >
          Mark all read
        </Button>
      </div>
      {unavailable && (
        <p role="alert" className="px-3 py-2 text-red-700">
          Notifications are unavailable: cannot reach the server.
        </p>
      )}
      {items.length === 0 ? (
        <p className="px-3 py-6 text-center text-slate-500">
          {data ? "Nothing has been parked yet." : "Loading…"}
        </p>
      ) : (
        <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
          {items.map((n) => (
            <li key={n.id} className={n.read ? "bg-white" : "bg-amber-50"}>
              <Link
                href={`/inbox/${n.approvalId}`}
                onClick={() => {
                  if (!n.read) onMarkRead({ ids: [n.id] });
                  onNavigate();
                }}
                className="block px-3 py-2 hover:bg-slate-50"
              >
                <span className={n.read ? "" : "font-semibold"}>
                  {!n.read && <span className="sr-only">Unread: </span>}
                  <span className="font-mono">{n.tool}</span> · {n.summary}
                </span>
                <span className="mt-0.5 block text-xs text-slate-600">
                  {n.agentTitle} · {n.reasons.join(", ")} · {formatAge(n.createdAt)} ago
                  {n.itemStatus !== "pending" && ` · ${n.itemStatus}`}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
