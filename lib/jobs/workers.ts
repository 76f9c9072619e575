import "server-only";
import { startApprovalMaintenance } from "@/lib/approvals/expire";
import { modelProvider } from "@/lib/model";
import { startNotificationWorkers } from "@/lib/notifications/worker";
import { startExternalWebhookWorker } from "@/lib/external/webhooks";
import { advanceRun } from "@/lib/runtime/advance";
import { WORKER_ID } from "@/lib/runtime/lease";
import { ADVANCE_RUN, boss, enqueueAdvance } from "./queue";
import { startWatchdog } from "./watchdog";
import { log } from "@/lib/log";

/** A run another worker holds is looked at again this soon: that worker may be about to let go. */
const BUSY_RECHECK_MS = 2_000;

export async function startWorkers() {
  const queue = await boss();
  await queue.work<{ runId: string }>(ADVANCE_RUN, { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 1, localConcurrency: 4 }, async ([job]) => {
    if (!job) return;
    const outcome = await advanceRun(job.data.runId, { model: modelProvider(), workerId: WORKER_ID });
    // The lease holder (alive, or dead until its lease lapses) may stop without finishing, e.g.
    // parked just as a decision came in: wake the run again shortly rather than trust it will.
    if (outcome === "busy") await enqueueAdvance(null, job.data.runId, new Date(Date.now() + BUSY_RECHECK_MS));
  });
  // The watchdog's first sweep, right away, resumes the runs this host's dead processes held.
  startWatchdog();
  await startApprovalMaintenance(queue);
  await startNotificationWorkers(queue);
  await startExternalWebhookWorker(queue);
  log.info("workers started", { worker: WORKER_ID });
}
