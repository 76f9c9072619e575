// npm run replay -- <runId> [--version N]: replays a recorded run hermetically (model answers,
// tool results and decisions served from its recording) and prints where the engine's behaviour
// diverges from it; exit 1 when it does. With --version N: the same request re-run against that
// settings version (writes never executed), printing the differences; exit 0.
// Run with the react-server condition (as the npm script does) so that `server-only` resolves.
import { randomBytes } from "node:crypto";
import { openDatabase } from "../lib/db/local-database";

const args = process.argv.slice(2);
const runId = args.find((a) => !a.startsWith("--") && args[args.indexOf(a) - 1] !== "--version");
const versionAt = args.indexOf("--version");
const version = versionAt >= 0 ? Number(args[versionAt + 1]) : undefined;
if (!runId || (version !== undefined && !Number.isInteger(version))) {
  console.error("usage: npm run replay -- <runId> [--version N]");
  process.exit(2);
}

const database = await openDatabase();
process.env.DATABASE_URL = database.url;
// Replay signs nothing; the web process's secret is not needed here.
process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");
process.env.COUNTERSIGN_WORKERS ??= "0";

let exitCode = 0;
try {
  await import("../lib/features");
  const { replayRun } = await import("../lib/replay/replay");
  const report = await replayRun(runId, { version, requestedBy: "npm run replay" });
  const what = report.kind === "replay" ? "Replay" : `Re-run against settings version ${version}`;
  console.log(
    `${what} of run ${report.sourceRunId}: scratch run ${report.scratchRunId} ended ${report.status}.`,
  );
  if (report.divergences.length === 0) {
    console.log(
      report.kind === "replay"
        ? "No divergence: the engine reproduced the recorded run."
        : `No difference: version ${version} did what the recorded run did.`,
    );
  } else {
    console.log(
      `${report.divergences.length} difference${report.divergences.length === 1 ? "" : "s"} from the recording:`,
    );
    console.table(
      report.divergences.map((d) => ({
        at: d.at,
        recorded: d.recorded ?? "—",
        replayed: d.replayed ?? "—",
      })),
    );
    if (report.kind === "replay") exitCode = 1;
  }
} catch (error) {
  console.error(`Replay failed: ${(error as Error).message}`);
  exitCode = 2;
} finally {
  const { db } = await import("../lib/db");
  await db.$disconnect().catch(() => {});
  await database.stop();
}
process.exit(exitCode);
