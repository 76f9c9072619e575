import type { ReactNode } from "react";

const TONES = {
  error: "bg-red-50 text-red-800",
  warning: "bg-amber-50 text-amber-900",
  success: "bg-emerald-50 text-emerald-900",
  info: "bg-slate-100 text-slate-800",
} as const;

/**
 * A message the user must notice: errors and warnings are announced (`role="alert"`), success and
 * information politely (`role="status"`).
 */
export function Alert({
  tone,
  children,
  className = "",
}: {
  tone: keyof typeof TONES;
  children: ReactNode;
  className?: string;
}) {
  const role = tone === "error" || tone === "warning" ? "alert" : "status";
  return (
    <p role={role} className={`rounded px-3 py-2 text-sm ${TONES[tone]} ${className}`.trim()}>
      {children}
    </p>
  );
}
