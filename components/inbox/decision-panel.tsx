"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useImperativeHandle, useRef, useState, type Ref } from "react";
import { decide } from "@/lib/approvals/actions";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { DecisionInput } from "@/lib/approvals/decide";
import type { ApprovalPacket } from "@/lib/approvals/queries";
import { queryKeys } from "@/lib/query-keys";
import { DecisionWarnings } from "./decision-warnings";
import { EditCallForm } from "./edit-call-form";
import { fetchPacketFacts } from "./packet-api";
import { useNow } from "./use-now";
import { Button } from "@/components/ui/button";
import { REMEMBER_DEFAULT, RememberChoice } from "./remember-choice";
import { Textarea } from "@/components/ui/textarea";
import { formatAgo } from "@/lib/format";

type Mode = "idle" | "rejecting" | "editing";

/** What the keyboard asks of the packet in view (the inbox's a / r / e). */
export type PacketControls = {
  approvalId: string;
  approve: () => void;
  reject: () => void;
  edit: () => void;
};
export type DecidedOutcome = {
  approvalId: string;
  status: "approved" | "rejected";
  decidedBy: string;
  decidedAt: string;
};

export function DecisionPanel({
  packet,
  startEditing = false,
  controlsRef,
  onDecided,
}: {
  packet: ApprovalPacket;
  startEditing?: boolean;
  controlsRef?: Ref<PacketControls | null>;
  onDecided?: (outcome: DecidedOutcome) => void;
}) {
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const now = useNow(1000);
  const [mode, setMode] = useState<Mode>(startEditing ? "editing" : "idle");
  const [reason, setReason] = useState("");
  const [remember, setRemember] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "ok"; text: string } | null>(null);
  const reasonField = useRef<HTMLTextAreaElement>(null);
  const pending = packet.status === "pending";
  // Asked when the packet opens; the server asks again at decision time.
  const facts = useQuery({
    queryKey: queryKeys.packetFacts(packet.id),
    queryFn: () => fetchPacketFacts(packet.id),
    enabled: pending,
  });
  const warnings = facts.data?.warnings ?? [];
  // A tick acknowledges the warnings as they read when it was given: the facts are re-read when
  // another item is parked or decided, and a warning that changes since must be read again.
  const warningsRead = JSON.stringify(warnings);
  const [acknowledgedRead, setAcknowledgedRead] = useState<string | null>(null);
  const acknowledged = acknowledgedRead === warningsRead;
  const setAcknowledged = (ticked: boolean) => setAcknowledgedRead(ticked ? warningsRead : null);
  const ackId = `acknowledge-${packet.id}`;

  const mutation = useMutation({
    mutationFn: (input: DecisionInput) => decide(input),
    onSuccess: (result) => {
      if (!result.ok) {
        // New warnings since the packet opened: show them, and ask for the box to be ticked again.
        if (result.error.details?.warnings) {
          setAcknowledged(false);
          void facts.refetch();
        }
        return setMessage({ tone: "error", text: result.error.message });
      }
      const { status, approvals, required } = result.data;
      const counted = `Your approval is counted (${approvals} of ${required}). It waits for another reviewer.`;
      setMessage({
        tone: "ok",
        text:
          status === "pending"
            ? counted
            : `${status === "approved" ? "Approved" : "Rejected"}. The agent has been told.`,
      });
      setMode("idle");
      void queryClient.invalidateQueries({ queryKey: queryKeys.pendingCount });
      void queryClient.invalidateQueries({ queryKey: queryKeys.packet(packet.id) });
      // A counted vote of several leaves the item pending: nothing to move past yet.
      if (result.data.status !== "pending")
        onDecided?.({ ...result.data, status: result.data.status });
    },
    onError: () =>
      setMessage({
        tone: "error",
        text: "Could not reach the server; nothing was decided. Try again.",
      }),
  });

  const base = {
    approvalId: packet.id,
    expectedHash: packet.proposedHash,
    ...(acknowledged && { acknowledgedWarnings: warnings }),
  };
  const busy = mutation.isPending;
  const approve = () => {
    if (!pending || busy) return;
    // Nothing is approved before the live facts are in: a warning may be on its way.
    if (facts.isPending)
      return setMessage({
        tone: "error",
        text: "Still checking the live facts; approve again in a moment.",
      });
    if (warnings.length > 0 && !acknowledged) {
      setMessage({ tone: "error", text: "Read the warnings and tick the box before approving." });
      return document.getElementById(ackId)?.focus();
    }
    mutation.mutate({
      ...base,
      decision: "approve",
      ...(remember && { remember: REMEMBER_DEFAULT }),
    });
  };
  const startRejecting = () => {
    if (!pending) return;
    setMode("rejecting");
    // After the form renders, so the reviewer types the reason at once.
    requestAnimationFrame(() => reasonField.current?.focus());
  };
  useImperativeHandle(controlsRef, () => ({
    approvalId: packet.id,
    approve,
    reject: startRejecting,
    edit: () => pending && setMode("editing"),
  }));

  if (!pending) {
    return (
      <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Decision">
        <h2 className="font-semibold">Decision</h2>
        <p className="mt-1 text-sm" role="status" suppressHydrationWarning>
          {decidedInWords(packet, now)}
        </p>
        {packet.decisionReason && (
          <p className="mt-1 text-sm text-slate-600">Reason: {packet.decisionReason}</p>
        )}
        {packet.approvedArguments &&
          JSON.stringify(packet.approvedArguments) !== JSON.stringify(packet.proposedArguments) && (
            <p className="mt-1 text-sm text-slate-600">
              Approved with edited arguments (see Provenance).
            </p>
          )}
        <p className="mt-1 text-sm text-slate-600">Call status: {packet.toolCallStatus}</p>
        {message && <Feedback {...message} />}
      </section>
    );
  }

  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Decision">
      <h2 className="font-semibold">Decision</h2>
      <DecisionWarnings
        facts={facts.data}
        acknowledged={acknowledged}
        onAcknowledge={setAcknowledged}
        checkboxId={ackId}
      />
      <div className="mt-3 flex gap-2">
        <Button
          type="button"
          disabled={busy || !hydrated || facts.isPending}
          onClick={approve}
          variant="approve"
          className="flex-1"
        >
          Approve
        </Button>
        <Button
          type="button"
          disabled={busy || !hydrated}
          onClick={() => setMode("editing")}
          variant="secondary"
        >
          Edit
        </Button>
        <Button
          type="button"
          disabled={busy || !hydrated}
          onClick={startRejecting}
          variant="danger-outline"
          size="sm"
          className="px-3 py-2"
        >
          Reject
        </Button>
      </div>

      {packet.policy.requiredApprovals <= 1 && (
        <RememberChoice checked={remember} onChange={setRemember} disabled={busy || !hydrated} />
      )}

      {mode === "rejecting" && (
        <form
          className="mt-4 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            mutation.mutate({ ...base, decision: "reject", reason });
          }}
        >
          <label className="block text-sm font-medium">
            Reason
            <Textarea
              ref={reasonField}
              aria-describedby="reject-reason-reader"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              minLength={3}
              maxLength={1000}
              rows={3}
              className="mt-1"
            />
          </label>
          <p id="reject-reason-reader" className="text-xs text-slate-500">
            The customer reads this reason word for word in their chat, with what was not done.
            Write it for them.
          </p>
          <Button type="submit" disabled={busy || !hydrated} variant="danger">
            Confirm rejection
          </Button>
        </form>
      )}

      {mode === "editing" && (
        <EditCallForm
          schema={packet.inputSchema}
          proposed={packet.proposedArguments}
          busy={busy || !hydrated}
          onCancel={() => setMode("idle")}
          onApprove={(args, note) => {
            if (warnings.length > 0 && !acknowledged) {
              setMessage({
                tone: "error",
                text: "Read the warnings and tick the box before approving.",
              });
              return document.getElementById(ackId)?.focus();
            }
            mutation.mutate({
              ...base,
              decision: "edit",
              arguments: args,
              ...(note && { reason: note }),
            });
          }}
        />
      )}
      {message && <Feedback {...message} />}
    </section>
  );
}

/** "Riley Reviewer approved it 3 s ago": the reviewer's name and the time in words, never an email or a timestamp. */
function decidedInWords(packet: ApprovalPacket, now: number): string {
  if (packet.status === "expired")
    return packet.decidedAt
      ? `Expired without a decision ${formatAgo(packet.decidedAt, now)}.`
      : "Expired without a decision.";
  const who = packet.decidedByName ?? (packet.decidedBy ? "A reviewer" : "The system");
  const when = packet.decidedAt ? ` ${formatAgo(packet.decidedAt, now)}` : "";
  return `${who} ${packet.status} it${when}.`;
}

function Feedback({ tone, text }: { tone: "error" | "ok"; text: string }) {
  return (
    <p
      role={tone === "error" ? "alert" : "status"}
      className={`mt-3 rounded px-2 py-1 text-sm ${tone === "error" ? "bg-red-50 text-red-700" : "bg-emerald-50 text-emerald-800"}`}
    >
      {text}
    </p>
  );
}
