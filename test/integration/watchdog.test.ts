import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { enqueueAdvance, stopBoss } from "@/lib/jobs/queue";
import { sweepStuckRuns } from "@/lib/jobs/watchdog";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { endRun } from "@/lib/runtime/endings";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

afterAll(async () => {
  await stopBoss();
});

/** A run whose worker died mid-step: running, lease expired, untouched for a minute. */
async function abandonedRun() {
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, {
    text: `Order ${await freshOrder(1200)} arrived broken, refund please`,
  });
  await db.$executeRaw`update runs set status = 'running', agent = 'refunds', lease_owner = 'dead-worker',
    lease_until = now() - interval '1 minute', updated_at = now() - interval '2 minutes', transcript = ${JSON.stringify([{ role: "user", content: "Order arrived broken, refund please" }])}::jsonb
    where id = ${runId}::uuid`;
  // The dead worker had taken the turn's wake-up job: none is left waiting in the queue.
  await db.$executeRaw`delete from pgboss.job where name = 'run-wake' and singleton_key = ${runId}`;
  return runId;
}

describe("watchdog", () => {
  it("resumes a run whose worker died, and the resumed run makes progress", async () => {
    const runId = await abandonedRun();
    const { resumed } = await sweepStuckRuns();
    expect(resumed).toContain(runId);
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.leaseOwner).toBeNull();
    expect(await db.traceEvent.count({ where: { runId, kind: "watchdog" } })).toBe(1);
    const queued = await db.$queryRaw<
      { n: bigint }[]
    >`select count(*) as n from pgboss.job where name = 'run-wake' and singleton_key = ${runId}`;
    expect(Number(queued[0]!.n)).toBeGreaterThanOrEqual(1);
    expect(await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "new-worker" })).toBe(
      "advanced",
    );
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).not.toBe("running");
  });

  it("leaves runs alone while their lease is live", async () => {
    const runId = await abandonedRun();
    await db.run.update({
      where: { id: runId },
      data: { leaseUntil: new Date(Date.now() + 60_000) },
    });
    expect((await sweepStuckRuns()).resumed).not.toContain(runId);
  });

  it("terminates a run it has already resumed three times without progress", async () => {
    const runId = await abandonedRun();
    for (let i = 0; i < 3; i++) {
      expect((await sweepStuckRuns()).resumed).toContain(runId);
      // A worker took the wake-up and died before doing anything.
      await db.$executeRaw`delete from pgboss.job where name = 'run-wake' and singleton_key = ${runId}`;
      await db.$executeRaw`update runs set updated_at = now() - interval '2 minutes' where id = ${runId}::uuid`;
    }
    expect((await sweepStuckRuns()).terminated).toContain(runId);
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("terminated");
    expect(run.statusReason).toMatch(/^stuck: the watchdog resumed it 3 times/);
    const last = await db.message.findFirstOrThrow({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "desc" },
    });
    expect(last.text).toMatch(/nothing irreversible was done/);
  });

  it("leaves a quiet run alone while its wake-up waits in the queue: it is waiting its turn, not stuck", async () => {
    const runId = await abandonedRun();
    await db.$executeRaw`update runs set lease_owner = null, lease_until = null where id = ${runId}::uuid`;
    await db.$transaction((tx) => enqueueAdvance(tx, runId));
    for (let i = 0; i < 5; i++)
      expect(await sweepStuckRuns()).toEqual({
        resumed: expect.not.arrayContaining([runId]),
        terminated: expect.not.arrayContaining([runId]),
      });
    expect(await db.traceEvent.count({ where: { runId, kind: "watchdog" } })).toBe(0);
  });

  it("resumes at once a run whose live lease names a process of this host that is gone", async () => {
    const runId = await abandonedRun();
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    const owner = `${hostname()}:${dead}:0badf00d`;
    await db.$executeRaw`update runs set lease_owner = ${owner}, lease_until = now() + interval '1 minute', updated_at = now() where id = ${runId}::uuid`;
    expect((await sweepStuckRuns()).resumed).toContain(runId);
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).leaseOwner).toBeNull();
    // A live process of this host keeps its run.
    const alive = `${hostname()}:${process.ppid}:0badf00d`;
    await db.$executeRaw`update runs set lease_owner = ${alive}, lease_until = now() + interval '1 minute' where id = ${runId}::uuid`;
    expect((await sweepStuckRuns()).resumed).not.toContain(runId);
  });

  it("does not give up after three resumes on a run holding an approved call, and then says it was not carried out", async () => {
    const runId = await parkedAndApproved();
    const sweepTimes = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await db.$executeRaw`delete from pgboss.job where name = 'run-wake' and singleton_key = ${runId}`;
        await db.$executeRaw`update runs set lease_owner = 'dead-worker', lease_until = now() - interval '1 minute', updated_at = now() - interval '2 minutes' where id = ${runId}::uuid`;
        await sweepStuckRuns();
      }
    };
    await sweepTimes(4);
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("running");
    await sweepTimes(7);
    const run = await db.run.findUniqueOrThrow({
      where: { id: runId },
      include: { toolCalls: true, followUp: true },
    });
    expect(run.status).toBe("terminated");
    expect(run.toolCalls.find((c) => c.tool === "issue_refund")).toMatchObject({
      status: "expired",
      error: { kind: "not_executed" },
    });
    const last = await db.message.findFirstOrThrow({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "desc" },
    });
    expect(last.text).toMatch(
      /Approved but not carried out, so nothing changed: a refund of €\d+\.\d\d for order \d+\./,
    );
    expect(last.text).not.toMatch(/nothing irreversible was done/);
    expect(run.followUp?.reason).toMatch(/approved, not carried out: issue refund/);
  });

  it("records a call left executing by a run that ends as unconfirmed, and tells the customer so", async () => {
    const runId = await parkedAndApproved();
    await db.$executeRaw`update tool_calls set status = 'executing' where run_id = ${runId}::uuid and tool = 'issue_refund'`;
    await endRun(runId, "terminated", "stuck: test");
    const call = await db.toolCall.findFirstOrThrow({ where: { runId, tool: "issue_refund" } });
    expect(call).toMatchObject({ status: "failed", error: { kind: "outcome_unknown" } });
    const last = await db.message.findFirstOrThrow({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "desc" },
    });
    expect(last.text).toMatch(
      /could not confirm, and a member of our team is checking: a refund of €\d+\.\d\d for order \d+\./,
    );
    expect(last.text).not.toMatch(/nothing irreversible was done/);
    const followUp = await db.followUp.findUniqueOrThrow({ where: { runId } });
    expect(followUp.reason).toContain("unconfirmed, check the external system");
  });
});

/** A refund approved by a reviewer whose advance never ran (its worker died first). */
async function parkedAndApproved() {
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, {
    text: `Order ${await freshOrder(2100)} arrived broken, refund please`,
  });
  await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "watchdog-test" });
  const approval = await db.approval.findFirstOrThrow({ where: { runId } });
  await decideApproval(await actorFor("reviewer@example.com"), {
    decision: "approve",
    approvalId: approval.id,
    expectedHash: approval.proposedHash,
  });
  await db.$executeRaw`delete from pgboss.job where name = 'run-wake' and singleton_key = ${runId}`;
  return runId;
}
