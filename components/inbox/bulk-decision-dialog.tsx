"use client";

import { useState } from "react";
import type { InboxItem } from "@/lib/approvals/queries";
import { ModalDialog } from "./modal-dialog";
import { buttonClass } from "@/components/ui/button";

export type PendingDecision = { decision: "approve" | "reject"; items: InboxItem[] };

/** One confirmation for one or many items; a rejection asks for the reason each customer reads. */
export function BulkDecisionDialog({
  pending,
  busy,
  onConfirm,
  onCancel,
}: {
  pending: PendingDecision | null;
  busy: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const count = pending?.items.length ?? 0;
  const noun = count === 1 ? "item" : `${count} items`;
  const title = pending?.decision === "reject" ? `Reject ${noun}?` : `Approve ${noun}?`;
  return (
    <ModalDialog
      open={pending !== null}
      title={title}
      onClose={() => {
        setReason("");
        onCancel();
      }}
    >
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm(reason);
          setReason("");
        }}
      >
        <ul className="max-h-48 list-disc space-y-0.5 overflow-y-auto pl-5 text-sm">
          {pending?.items.map((item) => (
            <li key={item.id}>
              <span className="font-mono">{item.tool}</span> · {item.summary}
              {item.claim && !item.claim.mine && <strong className="text-amber-800"> — {item.claim.holderName} is on this</strong>}
            </li>
          ))}
        </ul>
        {pending?.decision === "reject" && (
          <label className="block text-sm font-medium">
            Reason
            <textarea
              aria-describedby="bulk-reason-reader"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              minLength={3}
              maxLength={1000}
              rows={3}
              autoFocus
              className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
        )}
        {pending?.decision === "reject" && (
          <p id="bulk-reason-reader" className="text-xs text-slate-500">
            Each customer reads this reason word for word in their chat, with what was not done. Write it for them.
          </p>
        )}
        <p className="text-xs text-slate-500">Each item is decided on its own; an item someone else already decided is reported and left as it is.</p>
        <div className="flex gap-2">
          <button
            type="submit"
            disabled={busy}
            autoFocus={pending?.decision === "approve"}
            className={`rounded-md px-3 py-2 text-sm font-medium text-white disabled:opacity-60 ${pending?.decision === "reject" ? "bg-red-700" : "bg-emerald-700"}`}
          >
            {pending?.decision === "reject" ? "Confirm rejection" : "Confirm approval"}
          </button>
          <button type="button" onClick={onCancel} className={buttonClass("secondary")}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
