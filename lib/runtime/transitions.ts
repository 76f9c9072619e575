import "server-only";
import type { RunStatus, ToolCallStatus } from "@/lib/generated/prisma/enums";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db";
import { recordEvent } from "@/lib/trace/events";
import { canMoveRun, TERMINAL_RUN_STATUSES, toolCallSourcesOf } from "./state-machines";

/**
 * The one way a run changes state: a conditional update from a legal source state, and its
 * trace event, in the caller's transaction. Returns false when the run was not in a state
 * that may move to `to` (someone else moved it first).
 */
export async function transitionRun(
  tx: Tx,
  runId: string,
  to: RunStatus,
  reason?: string,
  extra: Prisma.RunUpdateInput = {},
  /** Move only from these states (a legal move from elsewhere is still refused). */
  from?: readonly RunStatus[],
): Promise<boolean> {
  // Row lock: the state read here is the state the update moves from.
  const [current] = await tx.$queryRaw<
    { status: RunStatus }[]
  >`select status from runs where id = ${runId}::uuid for update`;
  if (!current || !canMoveRun(current.status, to) || (from && !from.includes(current.status)))
    return false;
  await tx.run.update({
    where: { id: runId },
    data: {
      ...extra,
      status: to,
      statusReason: reason ?? null,
      ...(TERMINAL_RUN_STATUSES.includes(to) && {
        finishedAt: new Date(),
        leaseOwner: null,
        leaseUntil: null,
      }),
    },
  });
  await recordEvent(tx, {
    runId,
    kind: "transition",
    name: `${current.status} → ${to}`,
    data: { from: current.status, to, reason: reason ?? null },
  });
  return true;
}

export async function transitionToolCall(
  tx: Tx,
  toolCall: { id: string; runId: string; tool: string },
  to: ToolCallStatus,
  data: Prisma.ToolCallUpdateManyMutationInput = {},
): Promise<boolean> {
  const moved = await tx.toolCall.updateMany({
    where: { id: toolCall.id, status: { in: toolCallSourcesOf(to) } },
    data: { ...data, status: to },
  });
  if (moved.count === 0) return false;
  await recordEvent(tx, {
    runId: toolCall.runId,
    toolCallId: toolCall.id,
    kind: "transition",
    name: `${toolCall.tool} → ${to}`,
    data: { to },
  });
  return true;
}
