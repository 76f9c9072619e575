"use client";

import { useId, useLayoutEffect, useRef } from "react";
import { cn } from "./cn";

/**
 * A modal dialog on the native <dialog>: focus is trapped, Escape closes it and focus returns to
 * what opened it, as assistive technology expects. Not Radix's Dialog: that one marks the rest of
 * the page aria-hidden while open, and the inbox's confirmations are read beside the rows they
 * name (the e2e specs check those rows while the dialog is open).
 */
export function Dialog({
  open,
  title,
  onClose,
  className,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  className?: string;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Before paint, so a closed dialog never lingers open (and swallowing shortcuts) for a frame.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className={cn(
        "m-auto w-full max-w-lg rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40",
        className,
      )}
    >
      {open && (
        <div className="p-5">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div className="mt-3">{children}</div>
        </div>
      )}
    </dialog>
  );
}
