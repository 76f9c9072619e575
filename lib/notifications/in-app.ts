import "server-only";
import { sql } from "kysely";
import { z } from "zod";
import { db } from "@/lib/db";
import { builder, rows } from "@/lib/store";

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
  const [unread, rows] = await Promise.all([
    countUnread(userId),
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

/** The reviewer's unread items still waiting, counted up to UNREAD_CAP. */
async function countUnread(userId: string): Promise<number> {
  const [counted] = await rows(
    db,
    builder
      .selectFrom((eb) =>
        eb
          .selectFrom("notifications as n")
          .innerJoin("approvals as a", "a.id", "n.approval_id")
          .select(sql`1`.as("one"))
          .where("n.channel", "=", "in_app")
          .where("a.status", "=", "pending")
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom("notification_reads as r")
                  .select(sql`1`.as("one"))
                  .whereRef("r.notification_id", "=", "n.id")
                  .where("r.user_id", "=", userId),
              ),
            ),
          )
          .limit(UNREAD_CAP)
          .as("unread"),
      )
      .select(sql<number>`count(*)::int`.as("n")),
  );
  return counted?.n ?? 0;
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
  const [row] = await rows(
    db,
    builder
      .with("marked", (w) =>
        w
          .insertInto("notification_reads")
          .columns(["notification_id", "user_id"])
          .expression((eb) => {
            const inApp = eb
              .selectFrom("notifications as n")
              .select(["n.id", sql<string>`${userId}::uuid`.as("user_id")])
              .where("n.channel", "=", "in_app");
            return ids ? inApp.where("n.id", "in", ids) : inApp;
          })
          .onConflict((oc) => oc.doNothing())
          .returning("notification_id"),
      )
      .selectFrom("marked")
      .select(sql<number>`count(*)::int`.as("marked")),
  );
  return { marked: row?.marked ?? 0 };
}
