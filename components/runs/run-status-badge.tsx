import type { RunStatus } from "@/lib/generated/prisma/enums";

// Colour says how it ended at a glance; the text says it for everyone else.
const STATUS_STYLE: Record<RunStatus, string> = {
  queued: "bg-slate-100 text-slate-700",
  routing: "bg-sky-100 text-sky-800",
  running: "bg-sky-100 text-sky-800",
  awaiting_approval: "bg-amber-100 text-amber-900",
  completed: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  terminated: "bg-orange-100 text-orange-900",
  cancelled: "bg-slate-200 text-slate-700",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span
      className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[status]}`}
    >
      {status.replaceAll("_", " ")}
    </span>
  );
}
