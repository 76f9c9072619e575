"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { InAppNotifications } from "@/lib/notifications/in-app";
import { useLiveInterval } from "@/components/live/live-updates";
import { queryKeys } from "@/lib/query-keys";
import { Button } from "./button";
import { NotificationList, type MarkRead } from "./notification-list";

async function fetchNotifications(): Promise<InAppNotifications> {
  const response = await fetch("/api/notifications", { cache: "no-store" });
  if (!response.ok) throw new Error("Could not load notifications");
  return response.json();
}

async function postMarkRead(input: MarkRead): Promise<void> {
  const response = await fetch("/api/notifications", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  if (!response.ok) throw new Error("Could not mark notifications read");
}

/** Reviewers' in-app notifications: a bell with the unread count, opening the recent list. */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const { data, isError } = useQuery({
    queryKey: queryKeys.notifications,
    queryFn: fetchNotifications,
    refetchInterval: useLiveInterval(5000),
  });
  const markRead = useMutation({
    mutationFn: postMarkRead,
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications }),
  });

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) =>
      !container.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  const unread = data?.unread ?? 0;
  const count = data?.unreadCapped ? `${unread}+` : String(unread);
  return (
    <div ref={container} className="relative">
      <Button
        variant="ghost"
        size="icon"
        aria-label={`Notifications, ${count} unread`}
        aria-expanded={open}
        aria-controls="notifications-panel"
        onClick={() => setOpen((o) => !o)}
        className="relative"
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
        >
          <path
            d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" />
        </svg>
        {unread > 0 && (
          <span
            aria-hidden="true"
            className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold leading-5 text-white"
          >
            {count}
          </span>
        )}
      </Button>
      {open && (
        <NotificationList
          id="notifications-panel"
          data={data}
          unavailable={isError}
          busy={markRead.isPending}
          onMarkRead={(input) => markRead.mutate(input)}
          onNavigate={() => setOpen(false)}
        />
      )}
    </div>
  );
}
