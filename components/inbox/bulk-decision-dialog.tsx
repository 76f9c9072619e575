"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { reviewSet } from "@/lib/approvals/actions";
import type { InboxItem } from "@/lib/approvals/queries";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/textarea";
import { Checkbox } from "@/components/ui/checkbox";

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
  /** `acknowledged`: each item's pre-check warnings the reviewer read, word for word. */
  onConfirm: (reason: string, acknowledged: Record<string, string[]>) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const [acknowledged, setAcknowledged] = useState(false);
  const approving = pending?.decision === "approve";
  const ids = pending?.items.map((i) => i.id) ?? [];
  // Before approving: conflicts within the set and each item's live pre-check.
  const review = useQuery({
    queryKey: ["review-set", ids],
    queryFn: async () => {
      const result = await reviewSet({ approvalIds: ids });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    enabled: approving && ids.length > 0,
    staleTime: 0,
  });
  const conflicts = review.data?.conflicts ?? [];
  const warnings = review.data?.warnings ?? {};
  const warned = Object.values(warnings).some((w) => w.length > 0);
  const blocked =
    approving && (review.isPending || conflicts.length > 0 || (warned && !acknowledged));
  const count = pending?.items.length ?? 0;
  const noun = count === 1 ? "item" : `${count} items`;
  const title = pending?.decision === "reject" ? `Reject ${noun}?` : `Approve ${noun}?`;
  return (
    <Dialog
      open={pending !== null}
      title={title}
      onClose={() => {
        setReason("");
        setAcknowledged(false);
        onCancel();
      }}
    >
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm(reason, acknowledged ? warnings : {});
          setReason("");
          setAcknowledged(false);
        }}
      >
        <ul className="max-h-48 list-disc space-y-0.5 overflow-y-auto pl-5 text-sm">
          {pending?.items.map((item) => (
            <li key={item.id}>
              <span className="font-mono">{item.tool}</span> · {item.summary}
              {item.claim && !item.claim.mine && (
                <strong className="text-amber-800"> — {item.claim.holderName} is on this</strong>
              )}
              {approving &&
                warnings[item.id]?.map((w) => (
                  <span key={w} className="block text-amber-800">
                    Warning: {w}
                  </span>
                ))}
            </li>
          ))}
        </ul>
        {approving && conflicts.length > 0 && (
          <div
            role="alert"
            className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800"
          >
            <p className="font-medium">
              These items conflict with each other; approving them together is refused.
            </p>
            {conflicts.map((c) => (
              <p key={c.record}>{c.message}</p>
            ))}
          </div>
        )}
        {approving && review.isError && (
          <p role="alert" className="text-sm text-red-700">
            The live checks could not run: {review.error.message}
          </p>
        )}
        {approving && warned && conflicts.length === 0 && (
          <label className="flex items-center gap-2 text-sm font-medium text-amber-900">
            <Checkbox checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />I
            have read the warnings above and still want to approve
          </label>
        )}
        {pending?.decision === "reject" && (
          <label className="block text-sm font-medium">
            Reason
            <Textarea
              aria-describedby="bulk-reason-reader"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              minLength={3}
              maxLength={1000}
              rows={3}
              autoFocus
              className="mt-1"
            />
          </label>
        )}
        {pending?.decision === "reject" && (
          <p id="bulk-reason-reader" className="text-xs text-slate-500">
            Each customer reads this reason word for word in their chat, with what was not done.
            Write it for them.
          </p>
        )}
        <p className="text-xs text-slate-500">
          Each item is decided on its own; an item someone else already decided is reported and left
          as it is.
        </p>
        <div className="flex gap-2">
          <Button
            type="submit"
            disabled={busy || blocked}
            autoFocus={pending?.decision === "approve"}
            variant={pending?.decision === "reject" ? "danger" : "approve"}
            size="sm"
            className="py-2"
          >
            {pending?.decision === "reject" ? "Confirm rejection" : "Confirm approval"}
          </Button>
          <Button type="button" onClick={onCancel} variant="secondary">
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
