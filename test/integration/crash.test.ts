// Crash recovery with real processes: a standalone worker (scripts/worker.ts) is killed with
// SIGKILL at a crash point, another is started, and the call still executes exactly once.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { RUN_WAKE_QUEUE, boss, stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";
import {
  startWorkerProcess,
  stopAllWorkerProcesses,
  waitForExit,
  type WorkerProcess,
} from "../support/worker-process";

// The workers started here run on this file's own copy of the test database (every integration
// file has one, test/support/database-per-file.ts; they inherit DATABASE_URL): no other file's
// queued jobs or stale runs for them to pick up (their watchdog resumes those) and crash on
// instead of on the call under test. Lease and job expiry keep their production defaults:
// recovery must be prompt without shortening them.
const IN_PROCESS = { model: new OfflineDemoModel(), workerId: "crash-test-in-process" };
// A restarted worker on the same host sees at its first sweep that the process named by the run's
// lease is gone, and resumes the run at once, whatever the dead job's expiry (300 s).
const RECOVERY_TIMEOUT_MS = 30_000;

// A test that fails midway must not leave a worker behind to take the next test's jobs.
afterEach(async () => {
  await stopAllWorkerProcesses();
});

afterAll(async () => {
  await stopBoss();
  await db.$disconnect();
});

/** A refund parked for a reviewer, advanced in this process; no advance job left queued. */
async function parkedRefund(totalCents: number) {
  const orderId = await freshOrder(totalCents);
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  await advanceRun(runId, IN_PROCESS);
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { approvals: true },
  });
  expect(run.status).toBe("awaiting_approval");
  // The turn's own advance job was done here; with it gone, the only job a worker can pick up is
  // the one the decision commits.
  await (await boss()).deleteQueuedJobs(RUN_WAKE_QUEUE);
  return { orderId, runId, approval: run.approvals[0]! };
}

async function approve(approval: { id: string; proposedHash: string }) {
  const reviewer = await actorFor("reviewer@example.com");
  const outcome = await decideApproval(reviewer, {
    decision: "approve",
    approvalId: approval.id,
    expectedHash: approval.proposedHash,
  });
  expect(outcome).toMatchObject({ status: "approved", runResumed: true });
}

async function advanceJobs(runId: string) {
  return (await boss()).findJobs(RUN_WAKE_QUEUE, { key: runId });
}

/** Polls the database until the run has finished, bounded; the worker's output explains a timeout. */
async function waitForRunToFinish(runId: string, worker: WorkerProcess) {
  try {
    return await vi.waitFor(
      async () => {
        const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
        if (!["completed", "failed", "terminated", "cancelled"].includes(run.status))
          throw new Error(`run ${runId} is still ${run.status}`);
        return run;
      },
      { timeout: RECOVERY_TIMEOUT_MS, interval: 250 },
    );
  } catch (error) {
    const run = await db.run.findUnique({
      where: { id: runId },
      select: { status: true, leaseOwner: true, leaseUntil: true, updatedAt: true },
    });
    const jobs = (await advanceJobs(runId)).map((j) => ({
      state: j.state,
      retryCount: j.retryCount,
      startedOn: j.startedOn,
      startAfter: j.startAfter,
      output: j.output,
    }));
    throw new Error(
      `${(error as Error).message} after ${RECOVERY_TIMEOUT_MS / 1000}s\nrun: ${JSON.stringify(run)}\njobs: ${JSON.stringify(jobs)}\nworker output:\n${worker.output()}`,
    );
  }
}

async function refundCall(runId: string) {
  return db.toolCall.findFirstOrThrow({ where: { runId, tool: "issue_refund" } });
}

async function lastAssistantText(runId: string) {
  return (
    await db.message.findFirstOrThrow({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "desc" },
    })
  ).text;
}

describe("crash recovery with a real worker process", () => {
  it(
    "killed after the model's turn was saved with its auto call, before the call ran: the restarted worker runs it under its key and goes on",
    { timeout: 150_000 },
    async () => {
      const orderId = await freshOrder(3100);
      const doomed = await startWorkerProcess({ COUNTERSIGN_CRASH_AT: "after_turn_saved" });
      const { runId } = await startTurn(await actorFor("user@example.com"), {
        text: `Order ${orderId} arrived broken, I want my money back`,
      });
      expect(await waitForExit(doomed, 30_000)).toEqual({ code: null, signal: "SIGKILL" });
      // The turn and the call it asked for commit in one write (lib/runtime/persist-step.ts): the
      // call is recorded as executing, so the restart reconciles it by its idempotency key. (A call
      // that waits for a human is proposed after that write; crash-model.test.ts crashes in between.)
      expect(
        (await db.toolCall.findMany({ where: { runId } })).map((c) => [c.tool, c.status]),
      ).toEqual([["lookup_order", "executing"]]);
      expect(await db.runTurn.count({ where: { runId } })).toBe(1);

      const restarted = await startWorkerProcess();
      const parked = await vi.waitFor(
        async () => {
          const run = await db.run.findUniqueOrThrow({
            where: { id: runId },
            include: { toolCalls: { orderBy: { createdAt: "asc" } } },
          });
          if (run.status !== "awaiting_approval") throw new Error(`run ${runId} is ${run.status}`);
          return run;
        },
        { timeout: RECOVERY_TIMEOUT_MS, interval: 250 },
      );
      await restarted.stop();
      expect(parked.toolCalls.map((c) => [c.tool, c.status])).toEqual([
        ["lookup_order", "succeeded"],
        ["issue_refund", "pending_approval"],
      ]);
      expect(await db.refund.count({ where: { orderId } })).toBe(0);
    },
  );

  it(
    "killed after the decision committed and before the tool ran: the restarted worker executes the call exactly once",
    { timeout: 150_000 },
    async () => {
      const { orderId, runId, approval } = await parkedRefund(4700);
      const doomed = await startWorkerProcess({ COUNTERSIGN_CRASH_AT: "before_advance" });

      await approve(approval);
      expect(await waitForExit(doomed, 30_000)).toEqual({ code: null, signal: "SIGKILL" });

      // The dead worker took the decision's job and the run's lease, and nothing else happened.
      const [held] = await advanceJobs(runId);
      expect(held).toMatchObject({ state: "active" });
      const orphaned = await db.run.findUniqueOrThrow({ where: { id: runId } });
      expect(orphaned.status).toBe("running");
      expect(orphaned.leaseOwner).not.toBeNull();
      expect(orphaned.leaseOwner).not.toBe(IN_PROCESS.workerId);
      expect((await refundCall(runId)).status).toBe("approved");
      expect(await db.refund.count({ where: { orderId } })).toBe(0);

      const restarted = await startWorkerProcess();
      const done = await waitForRunToFinish(runId, restarted);
      await restarted.stop();

      expect(done.status).toBe("completed");
      const refunds = await db.refund.findMany({ where: { orderId } });
      expect(refunds).toHaveLength(1);
      expect(refunds[0]!.amountCents).toBe(4700);
      const call = await refundCall(runId);
      expect(call.status).toBe("succeeded");
      expect(refunds[0]!.idempotencyKey).toBe(call.idempotencyKey);
      expect(await lastAssistantText(runId)).toMatch(new RegExp(`refunded for order ${orderId}`));
    },
  );

  it(
    "killed after the shop refunded and before the result was recorded: the restarted worker causes no second refund",
    { timeout: 150_000 },
    async () => {
      const { orderId, runId, approval } = await parkedRefund(5300);
      const doomed = await startWorkerProcess({ COUNTERSIGN_CRASH_AT: "after_tool_executed" });

      await approve(approval);
      expect(await waitForExit(doomed, 30_000)).toEqual({ code: null, signal: "SIGKILL" });

      // The shop wrote the refund; the console never learned of it.
      const refundsAtCrash = await db.refund.findMany({ where: { orderId } });
      expect(refundsAtCrash).toHaveLength(1);
      const interrupted = await refundCall(runId);
      expect(interrupted).toMatchObject({ status: "executing", result: null });
      expect(refundsAtCrash[0]!.idempotencyKey).toBe(interrupted.idempotencyKey);
      expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("running");

      const restarted = await startWorkerProcess();
      const done = await waitForRunToFinish(runId, restarted);
      await restarted.stop();

      expect(done.status).toBe("completed");
      const refunds = await db.refund.findMany({ where: { orderId } });
      expect(refunds).toHaveLength(1);
      expect(refunds[0]!.id).toBe(refundsAtCrash[0]!.id);
      // The second execution carried the same idempotency key and got the shop's first answer.
      const call = await refundCall(runId);
      expect(call.status).toBe("succeeded");
      expect(call.result).toMatchObject({ refundId: refundsAtCrash[0]!.id, amountCents: 5300 });
      expect(
        await db.idempotencyRecord.count({
          where: { scope: "demo-shop", key: call.idempotencyKey },
        }),
      ).toBe(1);
      const text = await lastAssistantText(runId);
      expect(text).toContain(refundsAtCrash[0]!.id);
      expect(text.match(/has been refunded/g)).toHaveLength(1);
    },
  );
});
