// A queued run starts at once: the turn's transaction carries a NOTIFY (delivered on commit) that
// wakes the workers of every process, and the process that accepted the turn also hands the job
// to its own workers right after the commit. The workers here poll only every 10 s, so a pickup
// within a second can only come from the wake-up, not from the poll.
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import {
  RUN_WAKE_QUEUE,
  boss,
  enqueueAdvance,
  registerLocalAdvanceWorker,
  stopBoss,
} from "@/lib/jobs/queue";
import { actorFor } from "../support/actors";

const SLOW_POLL = { pollingIntervalSeconds: 10, notifyPollingIntervalSeconds: 10 };
let otherProcess: PgBoss;

beforeAll(async () => {
  // Turns other files queued and never advanced would be fetched first, one per wake-up: the
  // measured job is alone in the queue, as a run is on a quiet system.
  await (await boss()).deleteQueuedJobs(RUN_WAKE_QUEUE);
  // Another app process on the same database: its own pg-boss, its own LISTEN connection.
  otherProcess = new PgBoss({
    connectionString: process.env.DATABASE_URL!,
    useListenNotify: true,
    max: 2,
  });
  await otherProcess.start();
});

afterAll(async () => {
  await otherProcess.stop({ graceful: false });
  await stopBoss();
});

describe("a queued run starts at once", () => {
  it("wakes another process's worker through NOTIFY, well before its 10 s poll", async () => {
    const pickedUp = new Map<string, number>();
    const worker = await otherProcess.work<{ runId: string }>(
      RUN_WAKE_QUEUE,
      SLOW_POLL,
      async ([job]) => {
        if (job) pickedUp.set(job.data.runId, performance.now());
      },
    );
    try {
      // Let the worker's first fetch (at start) pass, so the next one is a wake-up or the slow poll.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { runId } = await startTurn(await actorFor("user@example.com"), {
        text: "Where is my order?",
      });
      const committed = performance.now();
      await vi.waitFor(() => expect(pickedUp.has(runId)).toBe(true), {
        timeout: 15_000,
        interval: 10,
      });
      expect(pickedUp.get(runId)! - committed).toBeLessThan(1_000);
    } finally {
      await otherProcess.offWork(RUN_WAKE_QUEUE, { id: worker, wait: true });
    }
  });

  it("hands the job to this process's own workers after the commit, and never for a rollback", async () => {
    const queue = await boss();
    const woken = vi.spyOn(queue, "notifyWorker").mockImplementation(() => {});
    registerLocalAdvanceWorker("local-advance-worker");
    try {
      const run = await db.run.findFirstOrThrow({ where: { user: { email: "user@example.com" } } });
      await expect(
        db.$transaction(async (tx) => {
          await enqueueAdvance(tx, run.id);
          throw new Error("the turn was refused after all");
        }),
      ).rejects.toThrow("refused");
      expect(woken).not.toHaveBeenCalled();

      let calledBeforeCommit = false;
      await db.$transaction(async (tx) => {
        await enqueueAdvance(tx, run.id);
        calledBeforeCommit = woken.mock.calls.length > 0;
      });
      expect(calledBeforeCommit).toBe(false);
      await vi.waitFor(() => expect(woken).toHaveBeenCalledWith("local-advance-worker"));
    } finally {
      woken.mockRestore();
      await stopBoss(); // forgets the registered worker; the next test file starts its own queue
    }
  });
});
