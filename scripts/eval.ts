// npm run eval [-- --agent X] [--suite Y] [--version N] [--strict]
// Runs the agents' eval suites (files under agents/<name>/evals plus cases recorded from
// decisions) against a settings version (default: the active one), each run on a scratch copy of
// the demo state on the eval PostgreSQL. Prints a results table with cost and time, records the
// results in the database, and exits 1 on any regression against the last recorded result of that
// version (--strict: on any failing case), naming the cases. Offline model unless ANTHROPIC_API_KEY.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DATA_DIR, openDatabase } from "../lib/db/local-database";
import { applyMigrations } from "../lib/db/migrations";

const { values } = parseArgs({
  options: {
    agent: { type: "string" },
    suite: { type: "string", multiple: true },
    version: { type: "string" },
    strict: { type: "boolean", default: false },
  },
  strict: true,
});
if (values.version !== undefined && !/^\d+$/.test(values.version)) {
  console.error("--version must be a settings version number (0 is the code's defaults)");
  process.exit(2);
}

const database = await openDatabase();
await applyMigrations(database.url);
process.env.DATABASE_URL = database.url;
const secretFile = path.join(DATA_DIR, "nextauth-secret");
process.env.NEXTAUTH_SECRET ??= existsSync(secretFile)
  ? readFileSync(secretFile, "utf8").trim()
  : "eval-cli-secret-eval-cli-secret-00000";

const { evalSuites } = await import("../lib/agents");
await import("../lib/features");
const { runEvals } = await import("../lib/evals/run");
const { formatReport } = await import("../lib/evals/report");
const { db } = await import("../lib/db");

const agents = values.agent ? [values.agent] : [...new Set(evalSuites.map((s) => s.agent))];
let exitCode = 0;
try {
  for (const agent of agents) {
    const report = await runEvals({
      agent,
      suites: values.suite?.flatMap((s) => s.split(",")),
      version: values.version === undefined ? undefined : Number(values.version),
      trigger: "cli",
    });
    console.log(formatReport(report) + "\n");
    if (report.regressions.length || (values.strict && report.failed)) exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  exitCode = 2;
} finally {
  await db.$disconnect().catch(() => {});
  await database.stop();
}
process.exit(exitCode);
