"use client";

import type { BatchItemResult } from "@/lib/approvals/actions";
import { Button } from "@/components/ui/button";

export type LabelledResult = BatchItemResult & { label: string };

/** What happened to each item of the last decision, one line per item, conflicts included. */
export function DecisionResults({
  results,
  onDismiss,
}: {
  results: LabelledResult[];
  onDismiss: () => void;
}) {
  return (
    <section
      aria-label="Decision results"
      aria-live="polite"
      className={
        results.length ? "mt-3 rounded-md border border-slate-200 bg-white p-3 text-sm" : "sr-only"
      }
    >
      {results.length > 0 && (
        <>
          <ul className="space-y-1">
            {results.map((r) => (
              <li key={r.approvalId} className={r.ok ? "text-emerald-800" : "text-red-700"}>
                <span className="font-medium">
                  {r.ok ? (r.status === "approved" ? "Approved" : "Rejected") : "Not decided"}
                </span>
                {" · "}
                {r.label}
                {!r.ok && <> — {r.error.message}</>}
              </li>
            ))}
          </ul>
          <Button
            type="button"
            onClick={onDismiss}
            variant="link"
            size="inline"
            className="mt-2 text-xs text-slate-600"
          >
            Dismiss
          </Button>
        </>
      )}
    </section>
  );
}
