"use client";

import { useQuery } from "@tanstack/react-query";
import { useLiveInterval } from "@/components/live/live-updates";
import { queryKeys } from "@/lib/query-keys";
import { Badge } from "@/components/ui/badge";

async function fetchOpenCount(): Promise<number> {
  const response = await fetch("/api/follow-ups/count", { cache: "no-store" });
  if (!response.ok) throw new Error("Could not count follow-ups");
  return ((await response.json()) as { open: number }).open;
}

/** The navigation's count of customers waiting for a reply from the team, kept live by the stream (polling while it is down). */
export function FollowUpBadge({ initial }: { initial: number }) {
  const { data } = useQuery({
    queryKey: queryKeys.followUpCount,
    queryFn: fetchOpenCount,
    initialData: initial,
    refetchInterval: useLiveInterval(10_000),
  });
  if (!data) return null;
  return (
    <Badge
      tone="warning"
      data-testid="follow-up-count"
      aria-label={`${data} waiting`}
      className="ml-1 px-1.5 py-0 tabular-nums"
    >
      {data}
    </Badge>
  );
}
