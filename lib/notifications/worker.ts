import "server-only";
import type { PgBoss } from "pg-boss";
import { notificationConfig } from "./config";
import { deliverNotification } from "./deliver";
import { DELIVER_NOTIFICATION, DELIVERY_QUEUE_OPTIONS, type DeliverJob } from "./queue";

/**
 * Delivers queued notifications (webhook, email). A failed attempt throws, so pg-boss retries
 * it after a backoff; the attempt that uses up the retries marks the notification failed.
 * Bad channel settings stop the start with a message that names the variable.
 */
export async function startNotificationWorkers(boss: PgBoss): Promise<void> {
  notificationConfig();
  await boss.createQueue(DELIVER_NOTIFICATION, DELIVERY_QUEUE_OPTIONS);
  // NOTIFY wakes the worker for new jobs; retries become due silently, so poll for them too.
  const options = {
    pollingIntervalSeconds: 1,
    notifyPollingIntervalSeconds: 1,
    localConcurrency: 2,
    includeMetadata: true,
  } as const;
  await boss.work<DeliverJob, void, typeof options>(
    DELIVER_NOTIFICATION,
    options,
    async ([job]) => {
      if (!job) return;
      await deliverNotification(job.data.notificationId, {
        finalAttempt: job.retryCount >= job.retryLimit,
      });
    },
  );
}
