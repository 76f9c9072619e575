"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useLiveInterval, useLiveMessages } from "@/components/live/live-updates";
import type { LiveMessage } from "@/lib/live/events";

type LiveKind = LiveMessage["kind"];

/**
 * Re-reads the server-rendered page while something on it is still moving. Given the stream
 * events that concern the page (`kinds`, narrowed to one run by `runId`), it refreshes when one
 * arrives and polls only as a slow safety net while the stream is up; otherwise, or while the
 * stream is down, every `intervalMs`.
 */
export function LiveRefresh({
  active,
  intervalMs = 2000,
  kinds,
  runId,
}: {
  active: boolean;
  intervalMs?: number;
  kinds?: LiveKind[];
  runId?: string;
}) {
  const router = useRouter();
  const liveInterval = useLiveInterval(intervalMs, 30_000);
  const interval = kinds ? liveInterval : intervalMs;
  useLiveMessages((message) => {
    if (!active || !kinds?.includes(message.kind)) return;
    if (runId && "runId" in message && message.runId !== runId) return;
    router.refresh();
  });
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), interval);
    return () => clearInterval(timer);
  }, [active, interval, router]);
  return null;
}
