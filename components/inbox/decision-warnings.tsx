"use client";

import type { PacketFacts } from "@/lib/approvals/facts";
import { Checkbox } from "@/components/ui/checkbox";

/**
 * Conflicts with other pending items, and the pre-check's warnings with the box a reviewer ticks
 * to say they read them: approving waits for it, and the server checks again.
 */
export function DecisionWarnings({
  facts,
  acknowledged,
  onAcknowledge,
  checkboxId,
}: {
  facts: PacketFacts | undefined;
  acknowledged: boolean;
  onAcknowledge: (value: boolean) => void;
  checkboxId: string;
}) {
  if (!facts) return <p className="mt-2 text-xs text-slate-500">Checking the live facts…</p>;
  if (facts.conflicts.length === 0 && facts.warnings.length === 0) return null;
  return (
    <div
      role="alert"
      aria-label="Warnings"
      className="mt-3 space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
    >
      {facts.conflicts.map((c) => (
        <p key={c.record}>
          <strong>Conflict:</strong> {c.message}
        </p>
      ))}
      {facts.warnings.length > 0 && (
        <>
          <ul className="list-disc space-y-0.5 pl-5">
            {facts.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          <label htmlFor={checkboxId} className="flex items-center gap-2 font-medium">
            <Checkbox
              id={checkboxId}
              checked={acknowledged}
              onChange={(e) => onAcknowledge(e.target.checked)}
            />
            I have read {facts.warnings.length === 1 ? "this warning" : "these warnings"} and still
            want to approve
          </label>
        </>
      )}
    </div>
  );
}
