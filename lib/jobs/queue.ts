import "server-only";
import { PgBoss } from "pg-boss";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// Work that advances runs is queued in PostgreSQL with pg-boss, so a job commits in the same
// transaction as the decision that causes it, and survives restarts.
export const ADVANCE_RUN = "run-advance";
/** A job still active after this long is considered lost by pg-boss and retried. */
const JOB_EXPIRE_SECONDS = Number(process.env.COUNTERSIGN_JOB_EXPIRE_SECONDS ?? 300);
// pg-boss finds expired jobs in its supervisor pass, and its workers skip a run whose job their
// cached queue stats still list as active; both default to 60 s, so recovery is never slower.
const SUPERVISE_SECONDS = Math.min(60, JOB_EXPIRE_SECONDS);

const globalForBoss = globalThis as unknown as { countersignBoss?: Promise<PgBoss> };

export function boss(): Promise<PgBoss> {
  globalForBoss.countersignBoss ??= (async () => {
    const instance = new PgBoss({
      connectionString: env().DATABASE_URL,
      useListenNotify: true,
      max: 4,
      superviseIntervalSeconds: SUPERVISE_SECONDS,
      monitorIntervalSeconds: SUPERVISE_SECONDS,
      queueCacheIntervalSeconds: SUPERVISE_SECONDS,
    });
    // pg-boss reports worker errors as plain objects ({ ...error, queue, worker }), not Errors.
    instance.on("error", (error: Error & { queue?: unknown }) => log.error("pg-boss", { error, queue: error.queue }));
    await instance.start();
    // `stately` + the run id as singleton key: at most one queued and one active advance per run.
    await instance.createQueue(ADVANCE_RUN, { policy: "stately", notify: true, retryLimit: 3, retryDelay: 2, retryBackoff: true, expireInSeconds: JOB_EXPIRE_SECONDS });
    return instance;
  })().catch((error: unknown) => {
    // A failed start (the database was briefly unreachable) is retried by the next caller.
    globalForBoss.countersignBoss = undefined;
    throw error;
  });
  return globalForBoss.countersignBoss;
}

/** Queues an advance of the run inside the caller's transaction: both commit, or neither. */
export async function enqueueAdvance(tx: Tx, runId: string) {
  const queue = await boss();
  await queue.send(ADVANCE_RUN, { runId }, {
    singletonKey: runId,
    // Per job as well: createQueue leaves an existing queue's settings as they were.
    expireInSeconds: JOB_EXPIRE_SECONDS,
    db: { executeSql: async (text, values = []) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values) }) },
  });
}

export async function stopBoss() {
  const instance = globalForBoss.countersignBoss;
  globalForBoss.countersignBoss = undefined;
  if (instance) await (await instance).stop({ graceful: false });
}
