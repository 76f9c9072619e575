// The scratch process of an eval run (started by lib/evals/run.ts, never by hand). It is given no
// database: it makes its own fresh copy of the seeded demo state on the eval PostgreSQL, points
// DATABASE_URL at it before any of the app's modules load, marks itself as the eval process (every
// run a scratch run; no connection but that database and the model: lib/scratch), runs the plan
// read from argv[2], writes the observations to argv[3] and drops the copy. Run with the
// react-server condition.
import { readFileSync, writeFileSync } from "node:fs";
import type { EvalPlan } from "@/lib/evals/plan";
import { createScratchDatabase, stopEvalServer } from "@/lib/evals/scratch";
import { endpointOf } from "@/lib/scratch/network-guard";
import { enterEvalProcess } from "@/lib/scratch/process";

const [planFile, resultFile] = process.argv.slice(2);
if (!planFile || !resultFile) {
  console.error("usage: eval-worker <plan.json> <result.json>");
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planFile, "utf8")) as EvalPlan;
// Said on stderr, whole: the parent shows its last lines as the eval run's error.
process.on("uncaughtException", (error) => {
  console.error(
    `eval scratch process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
const scratch = await createScratchDatabase();
process.env.DATABASE_URL = scratch.url;
const model = process.env.ANTHROPIC_API_KEY
  ? endpointOf(process.env.ANTHROPIC_BASE_URL || "https://api.anthropic.com")
  : null;
enterEvalProcess(model ? [model] : []);
await import("@/lib/features");
const { runPlan } = await import("@/lib/evals/case-runner");
const { db } = await import("@/lib/db");
const { stopBoss } = await import("@/lib/jobs/queue");
try {
  writeFileSync(resultFile, JSON.stringify(await runPlan(plan)));
} finally {
  await stopBoss().catch(() => {});
  await db.$disconnect().catch(() => {});
  await scratch
    .drop()
    .catch((error: unknown) =>
      console.error(`eval scratch database ${scratch.name} not dropped: ${String(error)}`),
    );
  await stopEvalServer().catch(() => {});
}
process.exit(0);
