"use client";

import { useQuery } from "@tanstack/react-query";
import { useLiveInterval } from "@/components/live/live-updates";
import { queryKeys } from "@/lib/query-keys";
import { fetchPendingCount } from "./inbox-api";

/** The navigation's count of items waiting for a decision, kept live by the stream (polling while it is down). */
export function PendingBadge({ initial }: { initial: number }) {
  const { data } = useQuery({
    queryKey: queryKeys.pendingCount,
    queryFn: fetchPendingCount,
    initialData: initial,
    refetchInterval: useLiveInterval(5000),
  });
  if (!data) return null;
  return (
    <span
      data-testid="pending-badge"
      aria-label={`${data} pending`}
      className="ml-1.5 rounded-full bg-amber-500 px-1.5 py-0.5 text-xs font-semibold text-white tabular-nums"
    >
      {data > 9999 ? "9999+" : data}
    </span>
  );
}
