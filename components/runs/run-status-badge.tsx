import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { RunStatus } from "@/lib/generated/prisma/enums";

// Colour says how it ended at a glance; the text says it for everyone else.
const STATUS_TONE: Record<RunStatus, BadgeTone> = {
  queued: "neutral",
  routing: "info",
  running: "info",
  awaiting_approval: "warning",
  completed: "good",
  failed: "bad",
  terminated: "stopped",
  cancelled: "muted",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <Badge tone={STATUS_TONE[status]} className="whitespace-nowrap rounded px-1.5">
      {status.replaceAll("_", " ")}
    </Badge>
  );
}
