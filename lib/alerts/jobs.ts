import "server-only";
import type { PgBoss } from "pg-boss";
import { refreshBaselines } from "@/lib/baselines/refresh";
import { log } from "@/lib/log";
import { deliverAlertNotification } from "./deliver";
import { DELIVER_ALERT, DELIVER_ALERT_OPTIONS, evaluateAlerts } from "./evaluate";

export const EVALUATE_ALERTS = "alerts-evaluate";
export const REFRESH_BASELINES = "baselines-refresh";

/**
 * Scheduled in the existing pg-boss queue: baselines every 10 minutes, alert rules every minute
 * (pg-boss's cron runs each schedule once across all processes), and alert deliveries with retries.
 */
export async function startAlertJobs(queue: PgBoss) {
  await queue.createQueue(REFRESH_BASELINES, {
    policy: "singleton",
    retryLimit: 1,
    expireInSeconds: 300,
  });
  await queue.createQueue(EVALUATE_ALERTS, {
    policy: "singleton",
    retryLimit: 0,
    expireInSeconds: 120,
  });
  await queue.schedule(REFRESH_BASELINES, "*/10 * * * *");
  await queue.schedule(EVALUATE_ALERTS, "* * * * *");
  await queue.work(REFRESH_BASELINES, async () => {
    const result = await refreshBaselines();
    log.info("baselines refreshed", result);
  });
  await queue.work(EVALUATE_ALERTS, async () => {
    await evaluateAlerts();
  });
  await startAlertDelivery(queue);
}

/** Delivers queued alert notifications (webhook, email), retried with backoff like parked-item notifications. */
export async function startAlertDelivery(queue: PgBoss) {
  await queue.createQueue(DELIVER_ALERT, DELIVER_ALERT_OPTIONS);
  const options = {
    pollingIntervalSeconds: 1,
    notifyPollingIntervalSeconds: 1,
    localConcurrency: 2,
    includeMetadata: true,
  } as const;
  await queue.work<{ notificationId: string }, void, typeof options>(
    DELIVER_ALERT,
    options,
    async ([job]) => {
      if (!job) return;
      await deliverAlertNotification(job.data.notificationId, {
        finalAttempt: job.retryCount >= job.retryLimit,
      });
    },
  );
}
