// npm run worker: the job workers (run advances, approval expiry, notifications) as a process of
// their own, next to web processes started with COUNTERSIGN_WORKERS=0. Any number may run: pg-boss
// hands each job to one worker, and a run's lease keeps two workers off one run.
// Run with the react-server condition (as the npm script does) so that `server-only` resolves.
import { checkInstalledAgents } from "@/lib/agents-config";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { stopBoss } from "@/lib/jobs/queue";
import "@/lib/features";
import { startWorkers } from "@/lib/workers";

try {
  env();
} catch (error) {
  console.error(
    `${(error as Error).message}\nThe worker needs the same DATABASE_URL and NEXTAUTH_SECRET as the web process.`,
  );
  process.exit(1);
}
try {
  checkInstalledAgents();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ level: "info", msg: "workers stopping", signal }));
  // A job cut short here is retried by pg-boss once it expires, and the run's lease lapses.
  await stopBoss().catch(() => {});
  await db.$disconnect().catch(() => {});
  process.exit(0);
}
process.on("SIGINT", (signal) => void shutdown(signal));
process.on("SIGTERM", (signal) => void shutdown(signal));

await startWorkers();
