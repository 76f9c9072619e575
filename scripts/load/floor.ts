// The floor: the load test's turns straight on the engine, with no HTTP, in a process of its own
// (started by scripts/load.ts after the app processes have stopped, on the same database). Each
// customer sends its turns one after another, paced as in the HTTP phase (scripts/load/pacing.ts:
// the i-th customer here starts and pauses exactly as the i-th there), all customers at once: the
// chat's own startTurn (the spend check, the run, the message and the job, in one transaction),
// then advanceRun in this process, as a worker does once it has the job. Writes its figures as JSON to LOAD_FLOOR_OUT.
// Usage: tsx --conditions=react-server scripts/load/floor.ts (settings from the environment).
import { writeFileSync } from "node:fs";
import { z } from "zod";
import { startTurn } from "../../lib/chat/service";
import { db, pool } from "../../lib/db";
import "../../lib/features";
import { RUN_WAKE_QUEUE } from "../../lib/jobs/queue";
import { modelProvider } from "../../lib/model";
import { advanceRun } from "../../lib/runtime/advance";
import { WORKER_ID } from "../../lib/runtime/lease";
import { pauseAfterTurn, planPacing } from "./pacing";
import { loadEmail, ORDERS_PER_CUSTOMER, orderIdOf } from "./seed";
import { planTurn } from "./turns";

const settings = z
  .object({
    LOAD_FLOOR_FIRST: z.coerce.number().int().min(0),
    LOAD_USERS: z.coerce.number().int().min(1),
    LOAD_TURNS: z.coerce.number().int().min(1),
    LOAD_FLOOR_SPACING_MS: z.coerce.number().int().min(0),
    /** The HTTP phase's think time (validated there), so both are paced alike. */
    LOAD_THINK_MS: z.coerce.number().int().min(0).default(0),
    /** Where the result goes (stdout carries the app's own log lines). */
    LOAD_FLOOR_OUT: z.string().min(1),
  })
  .parse(process.env);

export type FloorTurn = {
  customer: number;
  k: number;
  runId: string | null;
  ms: number | null;
  /** When the turn started (this process's performance.now()): arrivals per second. */
  at: number;
  error?: string;
};

const customers = Array.from({ length: settings.LOAD_USERS }, (_, i) => {
  const index = settings.LOAD_FLOOR_FIRST + i;
  const orders = Array.from({ length: ORDERS_PER_CUSTOMER }, (_, k) => orderIdOf(index, k));
  return { index, email: loadEmail(index), orders };
});
const users = await db.user.findMany({
  where: { email: { in: customers.map((c) => c.email) } },
  select: { id: true, email: true, name: true, role: true },
});
const byEmail = new Map(users.map((u) => [u.email, u]));
const model = modelProvider();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const turns = (
  await Promise.all(
    customers.map(async (customer, i) => {
      const actor = byEmail.get(customer.email);
      const own: FloorTurn[] = [];
      const pacing = planPacing(i, settings.LOAD_THINK_MS, settings.LOAD_TURNS);
      await new Promise((resolve) => setTimeout(resolve, pacing.startDelayMs));
      for (let k = 0; k < settings.LOAD_TURNS; k++) {
        const turnStarted = performance.now();
        const record: FloorTurn = {
          customer: customer.index,
          k,
          runId: null,
          ms: null,
          at: turnStarted,
        };
        own.push(record);
        try {
          if (!actor) throw new Error(`no account ${customer.email}`);
          const { runId } = await startTurn(actor, { text: planTurn(customer, k).text });
          record.runId = runId;
          await advanceRun(runId, { model, workerId: WORKER_ID });
          record.ms = performance.now() - turnStarted;
        } catch (error) {
          record.error = error instanceof Error ? error.message : String(error);
        }
        const wait = pauseAfterTurn(
          performance.now() - turnStarted,
          settings.LOAD_FLOOR_SPACING_MS,
          pacing.thinkMs[k] ?? 0,
        );
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      return own;
    }),
  )
).flat();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
// The wake-up jobs startTurn queued were never taken (this process advanced the runs itself, and
// no worker runs now): left queued, they would wake the next run's workers for finished runs.
const runIds = turns.flatMap((t) => (t.runId ? [t.runId] : []));
await pool().query(
  `delete from pgboss.job where name = $1 and singleton_key = any($2::text[]) and state = 'created'`,
  [RUN_WAKE_QUEUE, runIds],
);
writeFileSync(
  settings.LOAD_FLOOR_OUT,
  JSON.stringify({ turns, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }),
);
process.exit(0);
