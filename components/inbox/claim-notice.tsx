"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { ClaimView } from "@/lib/approvals/claims";
import type { ApprovalStatus } from "@/lib/generated/prisma/enums";
import { queryKeys } from "@/lib/query-keys";

type ClaimState = { status: ApprovalStatus; claim: ClaimView | null };

async function claim(approvalId: string): Promise<ClaimState> {
  const response = await fetch(`/api/approvals/${approvalId}/claim`, {
    method: "POST",
    cache: "no-store",
  });
  if (!response.ok) throw new Error("Could not claim this item");
  return response.json();
}

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString("en-GB", {
    timeZone: "UTC",
    hour: "2-digit",
    minute: "2-digit",
  });

/**
 * Opening a pending item claims it (renewed while the page stays open); another reviewer's claim
 * is shown as a warning. It never blocks a decision. If someone decides meanwhile, the page
 * reloads its data.
 */
export function ClaimNotice({
  approvalId,
  status,
  initial,
}: {
  approvalId: string;
  status: ApprovalStatus;
  initial: ClaimView | null;
}) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: queryKeys.claim(approvalId),
    queryFn: () => claim(approvalId),
    enabled: status === "pending",
    refetchInterval: 20_000,
    retry: false,
    staleTime: 0,
  });
  const current = data ? data.claim : initial;
  const decidedElsewhere = status === "pending" && data !== undefined && data.status !== "pending";
  useEffect(() => {
    if (decidedElsewhere) router.refresh();
  }, [decidedElsewhere, router]);

  if (status !== "pending" || !current) return null;
  if (current.mine) {
    return (
      <p
        role="note"
        className="rounded-lg border border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900"
      >
        You are on this item until {time(current.until)} UTC; other reviewers see that.
      </p>
    );
  }
  return (
    <p
      role="note"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900"
    >
      <strong>{current.holderName} is on this</strong> ({current.holderEmail}, until{" "}
      {time(current.until)} UTC). You can still decide, but check with them first so you do not work
      the same item twice.
    </p>
  );
}
