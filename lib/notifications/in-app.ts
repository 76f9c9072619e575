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

export type InAppNotifications = {
  unread: number;
  unreadCapped: boolean;
  items: InAppNotification[];
};

/**
 * A reviewer's in-app notifications, newest first, with their own read state. Unread counts
 * only items still waiting for a decision (capped, so the count stays cheap with a long queue).
 */
export async function listInAppNotifications(userId: string): Promise<InAppNotifications> {
  const [counted, rows] = await Promise.all([
    db.$queryRaw<{ n: number }[]>`
      select count(*)::int as n from (
        select 1 from notifications n join approvals a on a.id = n.approval_id
        where n.channel = 'in_app' and a.status = 'pending'
          and not exists (select 1 from notification_reads r where r.notification_id = n.id and r.user_id = ${userId}::uuid)
        limit ${UNREAD_CAP}
      ) unread`,
    db.notification.findMany({
      where: { channel: "in_app" },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: LIST_SIZE,
      include: { reads: { where: { userId }, select: { readAt: true } } },
    }),
  ]);
  const approvals = await db.approval.findMany({
    where: { id: { in: rows.map((r) => r.approvalId) } },
    select: { id: true, status: true },
  });
  const statusOf = new Map(approvals.map((a) => [a.id, a.status]));
  const unread = counted[0]?.n ?? 0;
  return {
    unread,
    unreadCapped: unread >= UNREAD_CAP,
    items: rows.map((row) => {
      const payload = storedPayload
        .catch({ agentTitle: "", tool: "", summary: "", reasons: [] })
        .parse(row.payload);
      return {
        id: row.id,
        approvalId: row.approvalId,
        ...payload,
        createdAt: row.createdAt.toISOString(),
        read: row.reads.length > 0,
        itemStatus: statusOf.get(row.approvalId) ?? "unknown",
      };
    }),
  };
}

export const markReadInput = z.union([
  z.object({
    ids: z
      .array(z.uuid({ message: "Unknown notification" }))
      .min(1)
      .max(100),
  }),
  z.object({ all: z.literal(true) }),
]);
export type MarkReadInput = z.infer<typeof markReadInput>;

/** Marks notifications read for this reviewer only; already-read and unknown ids count zero. */
export async function markNotificationsRead(
  userId: string,
  input: MarkReadInput,
): Promise<{ marked: number }> {
  const ids = "all" in input ? null : input.ids;
  const marked = await db.$executeRaw`
    insert into notification_reads (notification_id, user_id)
    select n.id, ${userId}::uuid from notifications n
    where n.channel = 'in_app' and (${ids}::uuid[] is null or n.id = any(${ids}::uuid[]))
    on conflict do nothing`;
  return { marked };
}
