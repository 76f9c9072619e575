import "server-only";
import { hostname } from "node:os";
import { startApprovalMaintenance } from "@/lib/approvals/expire";
import { modelProvider } from "@/lib/model";
import { startNotificationWorkers } from "@/lib/notifications/worker";
import { advanceRun } from "@/lib/runtime/advance";
import { ADVANCE_RUN, boss } from "./queue";
import { startWatchdog } from "./watchdog";
import { log } from "@/lib/log";

const WORKER_ID = `${hostname()}:${process.pid}`;

export async function startWorkers() {
  const queue = await boss();
  await queue.work<{ runId: string }>(ADVANCE_RUN, { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 1, localConcurrency: 4 }, async ([job]) => {
    if (!job) return;
    const outcome = await advanceRun(job.data.runId, { model: modelProvider(), workerId: WORKER_ID });
    // Failing the job makes pg-boss retry it after a backoff, once the lease holder is done.
    if (outcome === "busy") throw new Error(`run ${job.data.runId} is leased by another worker`);
  });
  startWatchdog();
  await startApprovalMaintenance(queue);
  await startNotificationWorkers(queue);
  log.info("workers started", { worker: WORKER_ID });
}
