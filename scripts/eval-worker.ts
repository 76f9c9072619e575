// The scratch process of an eval run (started by lib/evals/run.ts, never by hand): DATABASE_URL
// is a fresh copy of the demo state on the eval PostgreSQL. Reads the plan from the file named
// by argv[2], writes the observations to argv[3]. Run with the react-server condition.
import { readFileSync, writeFileSync } from "node:fs";
import { runPlan } from "@/lib/evals/case-runner";
import type { EvalPlan } from "@/lib/evals/plan";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";

const [planFile, resultFile] = process.argv.slice(2);
if (!planFile || !resultFile) {
  console.error("usage: eval-worker <plan.json> <result.json>");
  process.exit(2);
}
if (!/countersign_eval_[0-9a-f]{16}$/.test(new URL(process.env.DATABASE_URL ?? "postgresql://x/none").pathname)) {
  console.error("eval-worker runs only on a scratch database (countersign_eval_…)");
  process.exit(2);
}
try {
  const plan = JSON.parse(readFileSync(planFile, "utf8")) as EvalPlan;
  writeFileSync(resultFile, JSON.stringify(await runPlan(plan)));
} finally {
  await stopBoss().catch(() => {});
  await db.$disconnect().catch(() => {});
}
process.exit(0);
