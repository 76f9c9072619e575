// Model-based crash test: a worker (or the web process deciding) dies between any two of its
// database statements — in the advance that parks a refund, in the reviewer's decision, in the
// advance that executes the approved call (before, inside or after the shop's write) — and a
// fresh worker picks the run up afterwards, as a restarted app would. The process is "killed" for
// real as far as the database can tell: at the chosen statement every query of its connection
// pool fails and its server connections are terminated, so whatever it had not committed is
// rolled back by PostgreSQL. Afterwards: a decision that committed is carried out exactly once
// with its arguments, one that did not leaves nothing behind, and the customer's thread agrees
// with the shop.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { createClient, db, type Db } from "@/lib/db";
import { boss, stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const TOTAL_CENTS = 6_000;
const EDITED_CENTS = 4_500;
const offline = new OfflineDemoModel();
const globalForDb = globalThis as unknown as { countersignDb?: Db };
const exercised = new Map<string, number>();
const saw = (what: string) => exercised.set(what, (exercised.get(what) ?? 0) + 1);

beforeAll(async () => {
  await boss();
});

afterAll(async () => {
  await stopBoss();
});

type Doomed<T> = { died: boolean; statements: number; value?: T };

/**
 * Runs `work` as a process that dies just before its `crashAt`-th database statement (null:
 * lives). The work sees the app's `db` on a pool of its own; when it dies, every later query
 * fails and its connections are cut, so PostgreSQL rolls back any open transaction.
 */
async function asProcessThatDies<T>(
  crashAt: number | null,
  work: () => Promise<T>,
): Promise<Doomed<T>> {
  const name = `doomed_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: 4,
    application_name: name,
  });
  pool.on("error", () => {});
  let statements = 0;
  let died = false;
  pool.on("connect", (client) => {
    client.on("error", () => {});
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
      ...args: unknown[]
    ) => {
      if (!died && crashAt !== null && ++statements >= crashAt) died = true;
      else if (!died) return query(...args);
      const error = Object.assign(new Error("the process was killed"), { code: "ECONNRESET" });
      const callback = args.find((a) => typeof a === "function") as
        ((e: Error) => void) | undefined;
      if (callback) return void process.nextTick(callback, error);
      return Promise.reject(error);
    };
  });
  const healthy = globalForDb.countersignDb;
  const client = createClient(pool);
  globalForDb.countersignDb = client;
  let value: T | undefined;
  try {
    value = await work();
  } catch {
    // A dead process learns nothing more.
  } finally {
    globalForDb.countersignDb = healthy;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin
      .query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [
        name,
      ])
      .finally(() => admin.end());
    await client.$disconnect().catch(() => {});
  }
  return { died, statements, value: died ? undefined : value };
}

/** What a restarted app does for the run: the dead worker's lease lapses, a fresh worker advances it. */
async function restartAndRecover(runId: string) {
  await db.$executeRaw`update runs set lease_until = now() - interval '1 second' where id = ${runId}::uuid and lease_until is not null`;
  for (let i = 0; i < 5; i++) {
    if ((await advanceRun(runId, { model: offline, workerId: `restarted-${i}` })) === "idle")
      return;
  }
}

async function facts(runId: string, orderId: number) {
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { toolCalls: { include: { approval: true } } },
  });
  const messages = await db.message.findMany({
    where: { runId, author: "assistant" },
    orderBy: { createdAt: "asc" },
  });
  const refunds = await db.refund.findMany({ where: { orderId } });
  const refundEvents = await db.traceEvent.count({
    where: { runId, name: "issue_refund · succeeded" },
  });
  return {
    run,
    said: messages.map((m) => m.text),
    refunds,
    refundEvents,
    refundCall: run.toolCalls.find((c) => c.tool === "issue_refund"),
  };
}

const decisionKind = fc.constantFrom("approve" as const, "edit" as const, "reject" as const);
const crashAt = (max: number) => fc.option(fc.integer({ min: 1, max }), { nil: null, freq: 3 });

describe("crashes between any two statements of an advance, a decision and an execution", () => {
  it(
    "lose no committed decision, double no effect and tell the customer only what happened",
    { timeout: 240_000 },
    async () => {
      const requester = await actorFor("user@example.com");
      const reviewer = await actorFor("reviewer@example.com");
      await fc.assert(
        fc.asyncProperty(
          crashAt(60),
          decisionKind,
          crashAt(30),
          crashAt(90),
          async (parkCrash, kind, decideCrash, executeCrash) => {
            const orderId = await freshOrder(TOTAL_CENTS);
            const { runId } = await startTurn(requester, {
              text: `Order ${orderId} arrived broken, I want my money back`,
            });

            // 1. The advance that proposes and parks the refund dies somewhere; a fresh worker finishes it.
            const park = await asProcessThatDies(parkCrash, () =>
              advanceRun(runId, { model: offline, workerId: "doomed-park" }),
            );
            saw(park.died ? "died while parking" : "parked");
            await restartAndRecover(runId);
            const approval = await db.approval.findFirstOrThrow({
              where: { runId, tool: "issue_refund" },
            });
            expect(approval.status).toBe("pending");

            // 2. The decision dies somewhere: it committed with its wake-up, or not at all.
            const input =
              kind === "reject"
                ? { decision: kind, approvalId: approval.id, reason: "not covered by policy" }
                : kind === "edit"
                  ? {
                      decision: kind,
                      approvalId: approval.id,
                      arguments: {
                        order_id: orderId,
                        amount_cents: EDITED_CENTS,
                        reason: "partial refund",
                      },
                    }
                  : {
                      decision: kind,
                      approvalId: approval.id,
                      expectedHash: approval.proposedHash,
                    };
            const decided = await asProcessThatDies(decideCrash, () =>
              decideApproval(reviewer, input),
            );
            const afterDecision = await db.approval.findUniqueOrThrow({
              where: { id: approval.id },
            });
            if (decided.value) expect(afterDecision.status).not.toBe("pending");
            saw(
              decided.died
                ? `decision died, ${afterDecision.status === "pending" ? "not committed" : "committed"}`
                : "decision answered",
            );

            // 3. The advance that executes it dies somewhere (before, inside or after the shop's write).
            const execute = await asProcessThatDies(executeCrash, () =>
              advanceRun(runId, { model: offline, workerId: "doomed-execute" }),
            );
            saw(execute.died ? "died while executing" : "executed");
            await restartAndRecover(runId);

            // A decision lost before it committed was never acknowledged: the reviewer decides again.
            if (
              (await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status ===
              "pending"
            ) {
              expect(decided.died).toBe(true);
              await decideApproval(reviewer, input);
              await restartAndRecover(runId);
            }

            const { run, said, refunds, refundEvents, refundCall } = await facts(runId, orderId);
            expect(TERMINAL_RUN_STATUSES, JSON.stringify({ status: run.status, said })).toContain(
              run.status,
            );
            expect(
              run.toolCalls.filter((c) => c.status === "approved" || c.status === "executing"),
            ).toEqual([]);
            expect(refunds.length).toBeLessThanOrEqual(1);
            // The trace reports the effect exactly when it happened: no event for a rolled-back step.
            expect(refundEvents).toBe(refundCall?.status === "succeeded" ? 1 : 0);
            if (kind === "reject") {
              expect(refunds).toEqual([]);
              // The product tells the rejection once, whatever crashed (it is written with the turn the model reads).
              expect(said.filter((t) => /^Our team did not approve/.test(t))).toHaveLength(1);
            } else {
              expect(
                said.filter((t) => /^Our team (approved|changed your request)/.test(t)),
              ).toHaveLength(1);
              expect(run.status).toBe("completed");
              expect(refundCall?.status).toBe("succeeded");
              expect(refunds.map((r) => [r.amountCents, r.idempotencyKey])).toEqual([
                [kind === "edit" ? EDITED_CENTS : TOTAL_CENTS, refundCall!.idempotencyKey],
              ]);
              expect(said.at(-1)).toMatch(new RegExp(`has been refunded for order ${orderId}`));
            }
            // Whatever the customer reads agrees with the shop.
            if (refunds.length)
              expect(said.join("\n")).not.toMatch(
                /nothing irreversible was done|nothing was refunded/i,
              );
            if (said.some((t) => /has been refunded/.test(t))) expect(refunds).toHaveLength(1);
          },
        ),
        { numRuns: Number(process.env.CRASH_MODEL_RUNS ?? 30) },
      );
      console.log("crash-model exercised:", Object.fromEntries([...exercised].sort()));
      expect(exercised.get("died while executing") ?? 0).toBeGreaterThan(0);
      expect(exercised.get("decision died, not committed") ?? 0).toBeGreaterThan(0);
    },
  );
});
