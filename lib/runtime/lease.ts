import "server-only";
import { db } from "@/lib/db";

/** How long a worker may hold a run before the watchdog considers it dead. */
export const LEASE_MS = Number(process.env.COUNTERSIGN_LEASE_MS ?? 120_000);

/** The worker no longer holds the run: another took over after its lease expired. */
export class LeaseLost extends Error {
  constructor(runId: string) {
    super(`Lost the lease on run ${runId}`);
    this.name = "LeaseLost";
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
}
