"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { decide } from "@/lib/approvals/actions";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { DecisionInput } from "@/lib/approvals/decide";
import type { ApprovalPacket } from "@/lib/approvals/queries";
import { queryKeys } from "@/lib/query-keys";
import { EditCallForm } from "./edit-call-form";
import { buttonClass } from "@/components/ui/button";
import { REMEMBER_DEFAULT, RememberChoice } from "./remember-choice";

type Mode = "idle" | "rejecting" | "editing";

export function DecisionPanel({ packet, startEditing = false }: { packet: ApprovalPacket; startEditing?: boolean }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>(startEditing ? "editing" : "idle");
  const [reason, setReason] = useState("");
  const [remember, setRemember] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "ok"; text: string } | null>(null);

  const mutation = useMutation({
    mutationFn: (input: DecisionInput) => decide(input),
    onSuccess: (result) => {
      if (!result.ok) return setMessage({ tone: "error", text: result.error.message });
      const { status, approvals, required } = result.data;
      const counted = `Your approval is counted (${approvals} of ${required}). It waits for another reviewer.`;
      setMessage({ tone: "ok", text: status === "pending" ? counted : `${status === "approved" ? "Approved" : "Rejected"}. The agent has been told.` });
      setMode("idle");
      void queryClient.invalidateQueries({ queryKey: queryKeys.pendingCount });
      router.refresh();
    },
    onError: () => setMessage({ tone: "error", text: "Could not reach the server; nothing was decided. Try again." }),
  });

  const base = { approvalId: packet.id, expectedHash: packet.proposedHash };
  const busy = mutation.isPending;

  if (packet.status !== "pending") {
    return (
      <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Decision">
        <h2 className="font-semibold">Decision</h2>
        <p className="mt-1 text-sm" role="status">
          {packet.status === "expired" ? "Expired without a decision" : `${capitalise(packet.status)} by ${packet.decidedBy ?? "the system"}`}
          {packet.decidedAt && ` at ${new Date(packet.decidedAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC`}.
        </p>
        {packet.decisionReason && <p className="mt-1 text-sm text-slate-600">Reason: {packet.decisionReason}</p>}
        {packet.approvedArguments && JSON.stringify(packet.approvedArguments) !== JSON.stringify(packet.proposedArguments) && (
          <p className="mt-1 text-sm text-slate-600">Approved with edited arguments (see Provenance).</p>
        )}
        <p className="mt-1 text-sm text-slate-600">Call status: {packet.toolCallStatus}</p>
        {message && <Feedback {...message} />}
      </section>
    );
  }

  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Decision">
      <h2 className="font-semibold">Decision</h2>
      <div className="mt-3 flex gap-2">
        <button
          type="button"
          disabled={busy || !hydrated}
          onClick={() => mutation.mutate({ ...base, decision: "approve", ...(remember && { remember: REMEMBER_DEFAULT }) })}
          className={buttonClass("approve", "md", "flex-1")}
        >
          Approve
        </button>
        <button type="button" disabled={busy || !hydrated} onClick={() => setMode("editing")} className={buttonClass("secondary")}>
          Edit
        </button>
        <button
          type="button"
          disabled={busy || !hydrated}
          onClick={() => setMode("rejecting")}
          className="rounded-md border border-red-300 px-3 py-2 font-medium text-red-700 disabled:opacity-60"
        >
          Reject
        </button>
      </div>

      {packet.policy.requiredApprovals <= 1 && <RememberChoice checked={remember} onChange={setRemember} disabled={busy || !hydrated} />}

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
            <textarea
              aria-describedby="reject-reason-reader"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              minLength={3}
              maxLength={1000}
              rows={3}
              className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
          <p id="reject-reason-reader" className="text-xs text-slate-500">
            The customer reads this reason word for word in their chat, with what was not done. Write it for them.
          </p>
          <button type="submit" disabled={busy || !hydrated} className={buttonClass("danger")}>
            Confirm rejection
          </button>
        </form>
      )}

      {mode === "editing" && (
        <EditCallForm
          schema={packet.inputSchema}
          proposed={packet.proposedArguments}
          busy={busy || !hydrated}
          onCancel={() => setMode("idle")}
          onApprove={(args, note) => mutation.mutate({ ...base, decision: "edit", arguments: args, ...(note && { reason: note }) })}
        />
      )}
      {message && <Feedback {...message} />}
    </section>
  );
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

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
