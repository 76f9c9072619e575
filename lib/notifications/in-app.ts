import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";

const UNREAD_CAP = 100;
const LIST_SIZE = 20;

const storedPayload = z.object({
  agentTitle: z.string().catch(""),
  tool: z.string().catch(""),
  summary: z.string().catch(""),
  reasons: z.array(z.string()).catch([]),
});

export type InAppNotification = {
  id: string;
  approvalId: string;
  tool: string;
  agentTitle: string;
  summary: string;
  reasons: string[];
  createdAt: string;
  read: boolean;
  /** Whether the item still waits: a notification about a decided item is history. */
  itemStatus: "pending" | "approved" | "rejected" | "expired" | "unknown";
};

export type InAppNotifications = { unread: number; unreadCapped: boolean; items: InAppNotification[] };

/**
 * The reviewers' shared in-app notifications, newest first. Unread counts only items still
 * waiting for a decision (capped, so the count stays cheap with a very long queue).
 */
export async function listInAppNotifications(): Promise<InAppNotifications> {
  const [counted, rows] = await Promise.all([
    db.$queryRaw<{ n: number }[]>`
      select count(*)::int as n from (
        select 1 from notifications n join approvals a on a.id = n.approval_id
        where n.channel = 'in_app' and n.read_at is null and a.status = 'pending'
        limit ${UNREAD_CAP}
      ) unread`,
    db.notification.findMany({ where: { channel: "in_app" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: LIST_SIZE }),
  ]);
  const approvals = await db.approval.findMany({ where: { id: { in: rows.map((r) => r.approvalId) } }, select: { id: true, status: true } });
  const statusOf = new Map(approvals.map((a) => [a.id, a.status]));
  const unread = counted[0]?.n ?? 0;
  return {
    unread,
    unreadCapped: unread >= UNREAD_CAP,
    items: rows.map((row) => {
      const payload = storedPayload.catch({ agentTitle: "", tool: "", summary: "", reasons: [] }).parse(row.payload);
      return {
        id: row.id,
        approvalId: row.approvalId,
        ...payload,
        createdAt: row.createdAt.toISOString(),
        read: row.readAt !== null,
        itemStatus: statusOf.get(row.approvalId) ?? "unknown",
      };
    }),
  };
}

export const markReadInput = z.union([
  z.object({ ids: z.array(z.uuid({ message: "Unknown notification" })).min(1).max(100) }),
  z.object({ all: z.literal(true) }),
]);
export type MarkReadInput = z.infer<typeof markReadInput>;

export async function markNotificationsRead(input: MarkReadInput): Promise<{ marked: number }> {
  const where = "all" in input ? {} : { id: { in: input.ids } };
  const { count } = await db.notification.updateMany({ where: { ...where, channel: "in_app", readAt: null }, data: { readAt: new Date() } });
  return { marked: count };
}
