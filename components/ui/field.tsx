import type { ReactNode } from "react";
import { cn } from "./cn";

/** A labelled form field: the label, the control, an optional hint and the field's own error. */
export function Field({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={cn("block text-sm font-medium", className)}>
      {label}
      {children}
      {hint && <span className="mt-0.5 block text-xs font-normal text-slate-500">{hint}</span>}
      {error && (
        <span role="alert" className="mt-0.5 block text-xs font-normal text-red-700">
          {error}
        </span>
      )}
    </label>
  );
}
