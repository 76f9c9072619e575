"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type Ref } from "react";
import type { ApprovalPacket } from "@/lib/approvals/queries";
import { queryKeys } from "@/lib/query-keys";
import { ApprovalPacketView } from "./approval-packet";
import type { DecidedOutcome, PacketControls } from "./decision-panel";
import { KeyboardHelp } from "./keyboard-help";
import { fetchPacket } from "./packet-api";
import { useTriageKeys } from "./use-triage-keys";

// Re-read every second while open: when another reviewer decides, claims or the call settles,
// this view shows it within a second and its controls disable.
const LIVE_INTERVAL_MS = 1000;

/** A packet that stays current while it is open: on its own page, or in the inbox's pane. */
export function LivePacket({
  id,
  initial,
  layout = "page",
  startEditing,
  controlsRef,
  onDecided,
}: {
  id: string;
  initial?: ApprovalPacket;
  layout?: "page" | "pane";
  startEditing?: boolean;
  controlsRef?: Ref<PacketControls | null>;
  onDecided?: (outcome: DecidedOutcome) => void;
}) {
  const ownControls = useRef<PacketControls | null>(null);
  controlsRef ??= ownControls;
  const { data, isError, error } = useQuery({
    queryKey: queryKeys.packet(id),
    queryFn: () => fetchPacket(id),
    initialData: initial,
    refetchInterval: LIVE_INTERVAL_MS,
  });
  useRefreshWhenDecided(layout === "page" ? data?.status : undefined);
  if (!data) {
    return isError ? (
      <p
        role="alert"
        className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800"
      >
        {error.message}
      </p>
    ) : (
      <p className="p-4 text-sm text-slate-500">Loading the packet…</p>
    );
  }
  return (
    <>
      {layout === "page" && <PageKeys controlsRef={controlsRef} />}
      {isError && (
        <p role="alert" className="mb-2 text-sm text-red-700">
          Live updates paused: {error.message}
        </p>
      )}
      <ApprovalPacketView
        packet={data}
        layout={layout}
        startEditing={startEditing}
        controlsRef={controlsRef}
        onDecided={onDecided}
      />
    </>
  );
}

const nothing = () => {};

/** On the packet's own page, a / r / e act on it and ? lists the keys, as in the inbox's pane. */
function PageKeys({ controlsRef }: { controlsRef: Ref<PacketControls | null> }) {
  const [helpOpen, setHelpOpen] = useState(false);
  const current = () =>
    controlsRef && typeof controlsRef === "object" ? controlsRef.current : null;
  useTriageKeys({
    next: nothing,
    previous: nothing,
    open: nothing,
    toggleTick: nothing,
    approve: () => current()?.approve(),
    reject: () => current()?.reject(),
    edit: () => current()?.edit(),
    showHelp: () => setHelpOpen(true),
  });
  return <KeyboardHelp open={helpOpen} onClose={() => setHelpOpen(false)} />;
}

/**
 * On the packet's own page, what the server renders beside it (the decision offered as an eval
 * case) follows the moment the item stops waiting, whoever decided it.
 */
function useRefreshWhenDecided(status: string | undefined) {
  const router = useRouter();
  const wasPending = useRef(status === "pending");
  useEffect(() => {
    if (!status) return;
    if (status === "pending") wasPending.current = true;
    else if (wasPending.current) {
      wasPending.current = false;
      router.refresh();
    }
  }, [status, router]);
}
