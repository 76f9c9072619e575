// The run and tool-call lifecycles as data. Pure, so a property test can drive them.
import type { ApprovalStatus, RunStatus, ToolCallStatus } from "@/lib/generated/prisma/enums";

export const RUN_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  queued: ["routing", "cancelled", "failed"],
  // routing → completed: a request the router refuses (out of scope) is answered there and then.
  routing: ["running", "completed", "failed", "terminated", "cancelled"],
  running: ["awaiting_approval", "completed", "failed", "terminated", "cancelled"],
  awaiting_approval: ["running", "failed", "terminated", "cancelled"],
  completed: [],
  failed: [],
  terminated: [],
  cancelled: [],
};

export const TOOL_CALL_TRANSITIONS: Record<ToolCallStatus, readonly ToolCallStatus[]> = {
  proposed: ["executing", "pending_approval", "refused"],
  pending_approval: ["approved", "rejected", "expired"],
  // approved → expired: a decided call that could never be carried out (its run was stuck); nothing was done.
  approved: ["executing", "expired"],
  executing: ["succeeded", "failed"],
  rejected: [],
  expired: [],
  refused: [],
  succeeded: [],
  failed: [],
};

/** A parked call's review: decided once, by a reviewer or by its time to live running out. */
export const APPROVAL_TRANSITIONS: Record<ApprovalStatus, readonly ApprovalStatus[]> = {
  pending: ["approved", "rejected", "expired"],
  approved: [],
  rejected: [],
  expired: [],
};

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [
  "completed",
  "failed",
  "terminated",
  "cancelled",
];

/** A tool call in one of these states has an answer for the model. */
export const SETTLED_TOOL_CALL_STATUSES: readonly ToolCallStatus[] = [
  "succeeded",
  "failed",
  "rejected",
  "expired",
  "refused",
];

export const canMoveRun = (from: RunStatus, to: RunStatus) => RUN_TRANSITIONS[from].includes(to);
export const canMoveToolCall = (from: ToolCallStatus, to: ToolCallStatus) =>
  TOOL_CALL_TRANSITIONS[from].includes(to);

/** Sources from which a status may move to `to`, for conditional updates. */
export const runSourcesOf = (to: RunStatus) =>
  (Object.keys(RUN_TRANSITIONS) as RunStatus[]).filter((from) => canMoveRun(from, to));
export const toolCallSourcesOf = (to: ToolCallStatus) =>
  (Object.keys(TOOL_CALL_TRANSITIONS) as ToolCallStatus[]).filter((from) =>
    canMoveToolCall(from, to),
  );
export const approvalSourcesOf = (to: ApprovalStatus) =>
  (Object.keys(APPROVAL_TRANSITIONS) as ApprovalStatus[]).filter((from) =>
    APPROVAL_TRANSITIONS[from].includes(to),
  );
