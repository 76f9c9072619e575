import "server-only";
import { sql } from "kysely";
import { builder, hot } from "@/lib/store";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { boss } from "@/lib/jobs/queue";
import { DELIVER_NOTIFICATION, ensureDeliveryQueue } from "@/lib/notifications/queue";
import { notificationConfig } from "@/lib/notifications/config";
import { parkedMessage } from "@/lib/notifications/message";
import { recordAudit } from "@/lib/audit/log";
import { recordEvent } from "@/lib/trace/events";
import { log } from "@/lib/log";

// Queues' SLAs. An item parked with a team is due by the team's SLA unless a rule set its time to
// decide; past it the item is escalated once — the team's escalation contact is told, and it may
// move to the escalation queue — and it still expires at its own time, as expired. A rule's own
// time to decide with "expire" is the item's expiry itself.

/** When an item parked now with this team is due, by the team's SLA (null: no such team). */
export async function slaDueAt(
  tx: Tx | typeof db,
  team: string,
  parkedAt = new Date(),
): Promise<Date | null> {
  const row = await tx.team.findUnique({ where: { name: team }, select: { slaSeconds: true } });
  return row ? new Date(parkedAt.getTime() + row.slaSeconds * 1000) : null;
}

const giveTeamDueTimes = hot(() =>
  builder
    .updateTable("approvals as a")
    .from("teams as t")
    .set({
      due_at: sql<Date>`a.created_at + make_interval(secs => t.sla_seconds)`,
      on_expiry: "escalate",
    })
    .whereRef("a.team", "=", "t.name")
    .where("a.status", "=", "pending")
    .where("a.due_at", "is", null),
);

const expireAtDueTime = hot(() =>
  builder
    .updateTable("approvals")
    .set((eb) => ({ expires_at: eb.ref("due_at").$notNull() }))
    .where("status", "=", "pending")
    .where("on_expiry", "=", "expire")
    .where("due_at", "is not", null)
    .whereRef("due_at", "<", "expires_at"),
);

/**
 * Gives every pending team item without a due time its team's SLA (from when it was parked), to be
 * escalated when it passes; and makes a rule's "decide within, then expire" the item's expiry.
 * Set-based and idempotent, so the maintenance tick runs it each time whoever parked the item.
 */
export async function applyDueTimes(): Promise<void> {
  await giveTeamDueTimes(db, {});
  await expireAtDueTime(db, {});
}

const BATCH = 200;

/** Escalates, once, each pending item past its due time that is to be escalated; returns how many. */
export async function escalateOverdueApprovals(now = new Date()): Promise<number> {
  await applyDueTimes();
  const due = await db.approval.findMany({
    where: {
      status: "pending",
      onExpiry: "escalate",
      escalatedAt: null,
      dueAt: { lte: now },
      expiresAt: { gt: now },
    },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    select: { id: true },
    take: BATCH,
  });
  let escalated = 0;
  for (const { id } of due) {
    // One item that cannot be escalated is logged and skipped; the next tick tries it again.
    const done = await escalateOne(id, now).catch((error: unknown) => {
      log.error("approval escalation failed", { approvalId: id, error });
      return false;
    });
    if (done) escalated += 1;
  }
  return escalated;
}

/** Bad channel settings never block an escalation: the in-app entry is still written, and it is logged. */
function channels() {
  try {
    return notificationConfig();
  } catch (error) {
    log.error("notification settings invalid; escalation told in-app only", { error });
    return { slackInteractive: false } as ReturnType<typeof notificationConfig>;
  }
}

async function escalateOne(approvalId: string, now: Date): Promise<boolean> {
  const config = channels();
  if (config.email) await ensureDeliveryQueue();
  return db.$transaction(async (tx) => {
    const approval = await tx.approval.findUniqueOrThrow({
      where: { id: approvalId },
      include: { toolCall: { select: { confidence: true } } },
    });
    const team = approval.team
      ? await tx.team.findUnique({ where: { name: approval.team } })
      : null;
    const movedTo =
      team?.escalateToTeam && (await tx.team.findUnique({ where: { name: team.escalateToTeam } }))
        ? team.escalateToTeam
        : null;
    // Once: only the pass that sets escalated_at on a still-pending item goes on.
    const claimed = await tx.approval.updateMany({
      where: { id: approvalId, status: "pending", escalatedAt: null },
      data: { escalatedAt: now, ...(movedTo && { team: movedTo }) },
    });
    if (claimed.count !== 1) return false;
    const contact = team?.escalationEmail ?? null;
    const where = approval.team ? `${team?.title ?? approval.team}'s queue` : "the queue";
    const sentence = `Past its time to decide in ${where}${contact ? `: escalated to ${contact}` : ""}${movedTo ? `, moved to ${movedTo}'s queue` : ""}.`;
    const message = parkedMessage(
      {
        approvalId,
        agent: approval.agent,
        tool: approval.tool,
        arguments: approval.proposedArguments,
        reasons: [sentence, ...((approval.reasons as string[]) ?? [])],
        confidence: approval.toolCall.confidence,
        expiresAt: approval.expiresAt,
      },
      config.publicUrl,
    );
    await tx.notification.create({
      data: {
        channel: "in_app",
        approvalId,
        status: "sent",
        sentAt: now,
        payload: {
          agent: message.agent,
          agentTitle: message.agentTitle,
          tool: message.tool,
          summary: `Escalated: ${message.summary}`,
          reasons: message.reasons,
          escalatedTo: contact,
        },
      },
    });
    if (contact && config.email) {
      const text = [
        `${sentence}`,
        "",
        `Proposed: ${message.summary}`,
        `It expires at ${message.expiresAt}.`,
        ...(message.link ? ["", `Open it: ${message.link}`] : []),
      ].join("\n");
      const row = await tx.notification.create({
        data: {
          channel: "email",
          approvalId,
          payload: {
            subject: `Escalated: ${message.tool} (${message.agentTitle}) waits past its time`,
            text: `${text}\n`,
            to: [contact],
          },
        },
      });
      await (
        await boss()
      ).send(
        DELIVER_NOTIFICATION,
        { notificationId: row.id },
        {
          db: {
            executeSql: async (sql, values = []) => ({
              rows: await tx.$queryRawUnsafe<unknown[]>(sql, ...values),
            }),
          },
        },
      );
    }
    await recordEvent(tx, {
      runId: approval.runId,
      toolCallId: approval.toolCallId,
      kind: "decision",
      name: "escalated: past its time to decide",
      data: {
        team: approval.team,
        movedTo,
        contact,
        dueAt: approval.dueAt?.toISOString() ?? null,
      } as Prisma.InputJsonValue,
    });
    await recordAudit(tx, {
      actorEmail: "system",
      action: "escalated",
      approvalId,
      runId: approval.runId,
      payload: {
        team: approval.team,
        movedTo,
        contact,
        dueAt: approval.dueAt?.toISOString() ?? null,
      },
    });
    return true;
  });
}
