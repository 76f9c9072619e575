import "server-only";
import type { Tx } from "@/lib/db";

/** Queues "an item is waiting" notifications for newly parked approvals, in the caller's transaction. (Being built.) */
export async function queueParkedNotifications(_tx: Tx, _approvalIds: string[]): Promise<void> {}
