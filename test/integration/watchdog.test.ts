import { afterAll, describe, expect, it } from "vitest";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { sweepStuckRuns } from "@/lib/jobs/watchdog";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

afterAll(async () => {
  await stopBoss();
});

/** A run whose worker died mid-step: running, lease expired, untouched for a minute. */
async function abandonedRun() {
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, { text: `Order ${await freshOrder(1200)} arrived broken, refund please` });
  await db.$executeRaw`update runs set status = 'running', agent = 'refunds', lease_owner = 'dead-worker',
    lease_until = now() - interval '1 minute', updated_at = now() - interval '2 minutes', transcript = ${JSON.stringify([{ role: "user", content: "Order arrived broken, refund please" }])}::jsonb
    where id = ${runId}::uuid`;
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
    const queued = await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from pgboss.job where name = 'run-advance' and singleton_key = ${runId}`;
    expect(Number(queued[0]!.n)).toBeGreaterThanOrEqual(1);
    expect(await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "new-worker" })).toBe("advanced");
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).not.toBe("running");
  });

  it("leaves runs alone while their lease is live", async () => {
    const runId = await abandonedRun();
    await db.run.update({ where: { id: runId }, data: { leaseUntil: new Date(Date.now() + 60_000) } });
    expect((await sweepStuckRuns()).resumed).not.toContain(runId);
  });

  it("terminates a run it has already resumed three times without progress", async () => {
    const runId = await abandonedRun();
    for (let i = 0; i < 3; i++) {
      expect((await sweepStuckRuns()).resumed).toContain(runId);
      await db.$executeRaw`update runs set updated_at = now() - interval '2 minutes' where id = ${runId}::uuid`;
    }
    expect((await sweepStuckRuns()).terminated).toContain(runId);
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("terminated");
    expect(run.statusReason).toMatch(/^stuck: the watchdog resumed it 3 times/);
    const last = await db.message.findFirstOrThrow({ where: { runId, author: "assistant" }, orderBy: { createdAt: "desc" } });
    expect(last.text).toMatch(/nothing irreversible was done/);
  });
});
