import "server-only";
import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { boss } from "@/lib/jobs/queue";
import { notificationConfig, type NotificationConfig } from "./config";
import { emailContent, inAppPayload, parkedMessage, slackPayload } from "./message";
import { log } from "@/lib/log";

export const DELIVER_NOTIFICATION = "notification-deliver";
export type DeliverJob = { notificationId: string };

// Retried with exponential backoff (about 2 s, 4 s, 8 s … capped at 5 minutes), then marked failed.
export const DELIVERY_QUEUE_OPTIONS = {
  retryLimit: 8,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 300,
  expireInSeconds: 60,
  notify: true,
} as const;

const globalForQueue = globalThis as unknown as { countersignNotifyQueue?: Promise<void> };

/** The delivery queue must exist before a job is sent to it; created once per process. */
export function ensureDeliveryQueue(): Promise<void> {
  globalForQueue.countersignNotifyQueue ??= (async () => {
    await (await boss()).createQueue(DELIVER_NOTIFICATION, DELIVERY_QUEUE_OPTIONS);
  })().catch((error: unknown) => {
    globalForQueue.countersignNotifyQueue = undefined;
    throw error;
  });
  return globalForQueue.countersignNotifyQueue;
}

/**
 * Queues "an item is waiting" notifications for newly parked approvals, in the caller's
 * transaction: the in-app entry, and one delivery job per configured channel (webhook, email),
 * so they commit with the parking or not at all.
 */
export async function queueParkedNotifications(tx: Tx, approvalIds: string[]): Promise<void> {
  if (approvalIds.length === 0) return;
  const config = externalChannels();
  const approvals = await tx.approval.findMany({
    where: { id: { in: approvalIds } },
    include: { toolCall: { select: { confidence: true } } },
  });
  const sendJob = await deliveryJobSender(tx, config);

  for (const approval of approvals) {
    const message = parkedMessage(
      {
        approvalId: approval.id,
        proposedHash: approval.proposedHash,
        agent: approval.agent,
        tool: approval.tool,
        arguments: approval.proposedArguments,
        reasons: approval.reasons,
        confidence: approval.toolCall.confidence,
        expiresAt: approval.expiresAt,
      },
      config.publicUrl,
    );
    await tx.notification.create({
      data: {
        channel: "in_app",
        approvalId: approval.id,
        status: "sent",
        sentAt: new Date(),
        payload: inAppPayload(message),
      },
    });
    if (config.webhookUrl) {
      const row = await tx.notification.create({
        data: {
          channel: "webhook",
          approvalId: approval.id,
          payload: slackPayload(message, {
            interactive: config.slackInteractive,
          }) as Prisma.InputJsonValue,
        },
      });
      await sendJob({ notificationId: row.id });
    }
    if (config.email) {
      const row = await tx.notification.create({
        data: { channel: "email", approvalId: approval.id, payload: emailContent(message) },
      });
      await sendJob({ notificationId: row.id });
    }
  }
}

/** Bad channel settings never block parking: the in-app entry is still written, and it is logged. */
function externalChannels(): NotificationConfig {
  try {
    return notificationConfig();
  } catch (error) {
    log.error("notification settings invalid; only in-app notifications sent", { error });
    return { slackInteractive: false };
  }
}

async function deliveryJobSender(tx: Tx, config: NotificationConfig) {
  if (!config.webhookUrl && !config.email) return async () => {};
  await ensureDeliveryQueue();
  const queue = await boss();
  return async (job: DeliverJob) => {
    await queue.send(DELIVER_NOTIFICATION, job, {
      db: {
        executeSql: async (text, values = []) => ({
          rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values),
        }),
      },
    });
  };
}
