import "server-only";
import { PgBoss } from "pg-boss";
import { onCommit, PgTransaction, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// Work that advances runs is queued in PostgreSQL with pg-boss, so a job commits in the same
// transaction as the decision that causes it, and survives restarts.
//
// Which worker advances a run is decided by the run's lease (lib/runtime/lease.ts), not by the
// queue: a job is only a wake-up call. So the queue keeps at most one *queued* advance per run
// (pg-boss's `short` policy) and places no limit on active ones. A job left active by a killed
// process therefore blocks nothing: the next advance of that run is handed out as soon as the
// dead worker's lease lapses. (The earlier `stately` policy kept one active job per run, and a
// killed job stayed "active" until its expiry, so recovery after a crash took minutes.)
// The constant is named for what its queue holds, wake-up calls for runs; the queue's name stays
// "run-wake" because pg-boss stores it with every job, and jobs queued before a deploy must still be
// picked up after it.
export const RUN_WAKE_QUEUE = "run-wake";
/** A job still active after this long is considered lost by pg-boss and retried. */
const JOB_EXPIRE_SECONDS = Number(process.env.COUNTERSIGN_JOB_EXPIRE_SECONDS ?? 300);
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
    instance.on("error", (error: Error & { queue?: unknown }) =>
      log.error("pg-boss", { error, queue: error.queue }),
    );
    await instance.start();
    // `short` + the run id as singleton key: at most one queued advance per run.
    await instance.createQueue(RUN_WAKE_QUEUE, {
      policy: "short",
      notify: true,
      retryLimit: 3,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: JOB_EXPIRE_SECONDS,
    });
    return instance;
  })().catch((error: unknown) => {
    // A failed start (the database was briefly unreachable) is retried by the next caller.
    globalForBoss.countersignBoss = undefined;
    throw error;
  });
  return globalForBoss.countersignBoss;
}

/**
 * Queues an advance of the run inside the caller's transaction (both commit, or neither), or,
 * without one, on its own. `startAfter` delays it, e.g. until another worker's lease lapses.
 */
export async function enqueueAdvance(
  tx: Tx | PgTransaction | null,
  runId: string,
  startAfter?: Date,
) {
  const queue = await boss();
  await queue.send(
    RUN_WAKE_QUEUE,
    { runId },
    {
      singletonKey: runId,
      ...(startAfter && { startAfter }),
      // Per job as well: createQueue leaves an existing queue's settings as they were.
      expireInSeconds: JOB_EXPIRE_SECONDS,
      ...(tx && {
        db: {
          executeSql: (text: string, values: unknown[] = []) => executeSqlIn(tx, text, values),
        },
      }),
    },
  );
  if (!startAfter) wakeAfterCommit(tx);
}

/** Queues an advance of each run in the caller's transaction, in one statement (a batch of decisions). */
export async function enqueueAdvances(tx: Tx | PgTransaction, runIds: string[]) {
  if (runIds.length === 0) return;
  const queue = await boss();
  await queue.insert(
    RUN_WAKE_QUEUE,
    runIds.map((runId) => ({
      data: { runId },
      singletonKey: runId,
      expireInSeconds: JOB_EXPIRE_SECONDS,
    })),
    {
      returnId: false,
      db: { executeSql: (text: string, values: unknown[] = []) => executeSqlIn(tx, text, values) },
    },
  );
  wakeAfterCommit(tx);
}

async function executeSqlIn(tx: Tx | PgTransaction, text: string, values: unknown[]) {
  if (tx instanceof PgTransaction) return { rows: await tx.query<unknown>(text, values) };
  return { rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values) };
}

// The advance workers of this process (their pg-boss ids), so the web process that just committed
// a turn or a decision can hand the job to its own worker at once. Other processes are woken by
// the NOTIFY pg-boss sends in the enqueueing transaction (delivered on commit, one LISTEN
// connection per process); the 0.5 s poll stays as the fallback for a missed notification.
const globalForWake = globalThis as unknown as { countersignAdvanceWorkers?: Set<string> };
const localAdvanceWorkers = (globalForWake.countersignAdvanceWorkers ??= new Set());

export function registerLocalAdvanceWorker(workerId: string) {
  localAdvanceWorkers.add(workerId);
}

/**
 * Once `tx` has committed (at once without one), this process's advance workers fetch now rather
 * than at their next poll or notification; a fetch before the commit would find nothing.
 */
function wakeAfterCommit(tx: Tx | PgTransaction | null) {
  if (tx) onCommit(tx, wakeLocalAdvanceWorkers);
  else wakeLocalAdvanceWorkers();
}

function wakeLocalAdvanceWorkers() {
  if (localAdvanceWorkers.size === 0) return;
  const instance = globalForBoss.countersignBoss;
  if (!instance) return;
  void instance
    .then((queue) => localAdvanceWorkers.forEach((id) => queue.notifyWorker(id)))
    .catch(() => {});
}

export async function stopBoss() {
  localAdvanceWorkers.clear();
  const instance = globalForBoss.countersignBoss;
  globalForBoss.countersignBoss = undefined;
  if (instance) await (await instance).stop({ graceful: false });
}
