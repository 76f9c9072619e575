"use client";

import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";

export const TRIAGE_KEYS = [
  ["j", "Select the next item"],
  ["k", "Select the previous item"],
  ["a", "Approve the item whose packet is in view (on a narrow screen: open its packet)"],
  ["r", "Reject the item in view (asks for a reason)"],
  ["e", "Edit the item in view's arguments, in place"],
  ["o / Enter", "Open the selected item on its own page"],
  ["x", "Tick or untick the selected item for a bulk decision"],
  ["?", "Show this help (Escape closes it)"],
] as const;

export function KeyboardHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <dl className="grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
        {TRIAGE_KEYS.map(([key, what]) => (
          <div key={key} className="contents">
            <dt>
              <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs">
                {key}
              </kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-3 text-xs text-slate-500">
        Shortcuts pause while you type in a field. Escape closes this.
      </p>
      <Button type="button" onClick={onClose} variant="secondary" size="sm" className="mt-4">
        Close
      </Button>
    </Dialog>
  );
}
