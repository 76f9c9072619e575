import "server-only";
// The process's background work, wired in one place: the run workers and every feature's periodic
// jobs. It sits above the features (nothing in lib/ imports it), so lib/jobs stays the queue alone.
import { startAlertJobs } from "@/lib/alerts/jobs";
import { startApprovalMaintenance } from "@/lib/approvals/expire";
import { startAuditChainer } from "@/lib/audit/chainer";
import { pruneToolCache } from "@/lib/tool-cache";
import { pruneLiveEvents } from "@/lib/live/replay";
import { modelProvider } from "@/lib/model";
import { startNotificationWorkers } from "@/lib/notifications/worker";
import { startExternalWebhookWorker } from "@/lib/external/webhooks";
import { startMetricsExport } from "@/lib/ops/otlp-metrics";
import { advanceRun } from "@/lib/runtime/advance";
import { WORKER_ID } from "@/lib/runtime/lease";
import { RUN_WAKE_QUEUE, boss, enqueueAdvance, registerLocalAdvanceWorker } from "@/lib/jobs/queue";
import { startWatchdog } from "@/lib/jobs/watchdog";
import { log } from "@/lib/log";

/** A run another worker holds is looked at again this soon: that worker may be about to let go. */
const BUSY_RECHECK_MS = 2_000;
/** Runs this process advances at once. */
const ADVANCE_WORKERS = 4;

export async function startWorkers() {
  const queue = await boss();
  // Four advance workers, each its own work() call (what localConcurrency: 4 spawns), so each has
  // an id: a turn or decision accepted by this process is handed to them right after its commit.
  for (let i = 0; i < ADVANCE_WORKERS; i++) {
    const advanceWorker = await queue.work<{ runId: string }>(
      RUN_WAKE_QUEUE,
      { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 1 },
      async ([job]) => {
        if (!job) return;
        const outcome = await advanceRun(job.data.runId, {
          model: modelProvider(),
          workerId: WORKER_ID,
        });
        // The lease holder (alive, or dead until its lease lapses) may stop without finishing, e.g.
        // parked just as a decision came in: wake the run again shortly rather than trust it will.
        if (outcome === "busy")
          await enqueueAdvance(null, job.data.runId, new Date(Date.now() + BUSY_RECHECK_MS));
      },
    );
    registerLocalAdvanceWorker(advanceWorker);
  }
  // The watchdog's first sweep, right away, resumes the runs this host's dead processes held.
  startWatchdog();
  // The audit trail's single appender: links the entries decisions wrote, in batches.
  startAuditChainer();
  // Expired tool-cache entries are never served; dropping them keeps the table small.
  setInterval(
    () => void pruneToolCache().catch((error: unknown) => log.error("tool cache prune", { error })),
    60_000,
  ).unref();
  // The live stream's events are kept a day, for readers resuming with Last-Event-ID.
  setInterval(
    () =>
      void pruneLiveEvents().catch((error: unknown) => log.error("live events prune", { error })),
    60_000,
  ).unref();
  await startApprovalMaintenance(queue);
  await startNotificationWorkers(queue);
  await startExternalWebhookWorker(queue);
  await startAlertJobs(queue);
  startMetricsExport(); // /ops metrics over OTLP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set
  log.info("workers started", { worker: WORKER_ID });
}
