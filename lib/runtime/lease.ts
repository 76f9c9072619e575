import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { db } from "@/lib/db";

/**
 * How long a worker's hold on a run lasts without a heartbeat. Short, so that a run whose worker
 * died (a killed process sends no heartbeat) is free again within seconds, not minutes.
 */
export const LEASE_MS = Number(process.env.COUNTERSIGN_LEASE_MS ?? 15_000);
/** A live worker renews its lease this often while it advances the run. */
const HEARTBEAT_MS = Math.max(250, Math.floor(LEASE_MS / 3));
/**
 * A worker that makes no progress for this long stops renewing (a hung call), so its lease
 * lapses and the watchdog hands the run to another. Longer than the slowest step: a model call
 * of four 60 s attempts, or a tool call with its retries.
 */
const MAX_STEP_MS = 5 * 60_000;

/** The worker no longer holds the run: another took over after its lease expired. */
export class LeaseLost extends Error {
  constructor(runId: string) {
    super(`Lost the lease on run ${runId}`);
    this.name = "LeaseLost";
  }
}

/**
 * This process's worker id: host, pid and a nonce for this boot. A restarted process on the same
 * host can then tell that a lease naming its host and a dead pid (or its own pid from an earlier
 * boot, as in a container) was held by a process that no longer exists.
 */
export const WORKER_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

/** Whether the process named by a worker id is provably gone (only knowable on the same host). */
export function isDeadLocalWorker(workerId: string): boolean {
  const [host, pidText, nonce] = workerId.split(":");
  if (host !== hostname() || !nonce) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return workerId !== WORKER_ID;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Called after every slow step (a model call, a tool call) and before writing its outcome: it
 * extends the lease, or throws if another worker took the run over meanwhile, so a worker that
 * outlived its lease never writes over the progress of the one that replaced it.
 */
export async function renewLease(runId: string, workerId: string): Promise<void> {
  const renewed = await db.run.updateMany({
    where: { id: runId, leaseOwner: workerId },
    data: { leaseUntil: new Date(Date.now() + LEASE_MS) },
  });
  if (renewed.count === 0) throw new LeaseLost(runId);
  noteLeaseRenewed(runId, workerId);
}

/** A write fenced on the lease renewed it (persistStep does, every step): progress, and no heartbeat needed yet. */
export function noteLeaseRenewed(runId: string, workerId: string) {
  heartbeats.get(heartbeatKey(runId, workerId))?.progressed();
}

const heartbeats = new Map<string, { progressed: () => void }>();
const heartbeatKey = (runId: string, workerId: string) => `${runId}\u0000${workerId}`;

/**
 * Keeps the lease alive while this worker advances the run, between the explicit renewals at
 * step boundaries. Returns the function that stops it. A renewal that finds the lease gone stops
 * quietly: the next explicit renewal throws LeaseLost.
 */
export function startHeartbeat(runId: string, workerId: string): () => void {
  let lastProgress = Date.now();
  const key = heartbeatKey(runId, workerId);
  heartbeats.set(key, { progressed: () => (lastProgress = Date.now()) });
  const timer = setInterval(() => {
    const idle = Date.now() - lastProgress;
    if (idle > MAX_STEP_MS) return stop();
    // The steps renew the lease as they write; a heartbeat is needed only in a slow step.
    if (idle < HEARTBEAT_MS) return;
    db.run
      .updateMany({
        where: { id: runId, leaseOwner: workerId },
        data: { leaseUntil: new Date(Date.now() + LEASE_MS) },
      })
      .then((renewed) => renewed.count === 0 && stop())
      .catch(() => {
        // The database is unreachable: the lease lapses, and whoever holds the run next continues it.
      });
  }, HEARTBEAT_MS);
  timer.unref();
  function stop() {
    clearInterval(timer);
    heartbeats.delete(key);
  }
  return stop;
}
