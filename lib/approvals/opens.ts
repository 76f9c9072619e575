import "server-only";
import { db } from "@/lib/db";

/**
 * Records the first time a reviewer opens a pending item: the start of the time they spend on the
 * packet, which /ops measures up to their decision. Later opens keep the first; a decided item
 * is not "opened for review" any more, so nothing is recorded for it.
 */
export async function recordApprovalOpen(
  userId: string,
  approvalId: string,
  at = new Date(),
): Promise<void> {
  await db.$executeRaw`
    insert into approval_opens (approval_id, user_id, opened_at)
    select a.id, ${userId}::uuid, ${at} from approvals a where a.id = ${approvalId}::uuid and a.status = 'pending'
    on conflict (approval_id, user_id) do nothing`;
}
