// npm run load: 200 customers chatting at once with the app on the offline model, on loopback
// only, bounded in count and time. Starts the app the way `npm run demo` does (its own port and
// data directory) unless LOAD_URL names one already running on this machine. Prints throughput,
// latency percentiles and errors, then checks in the database that every turn was answered (or
// parked honestly for a reviewer) and that no run was lost. Exits 1 on ≥ 0.1% errors or any loss.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "./load/config";
import { converse, signInCustomer, type TurnRecord } from "./load/customer";
import type { RequestRecord, Session } from "./load/http";
import { ms, pct, summarise } from "./load/stats";
import { TURN_KINDS } from "./load/turns";

const config = loadConfig();
// The app this script starts, and the database it then reads, live apart from the demo's.
process.env.COUNTERSIGN_DATA_DIR ??= ".data/load";
process.env.EMBEDDED_PG_PORT ??= "25736";
const { openDatabase } = await import("../lib/db/local-database");
const { clientFor } = await import("../prisma/seed");
const { LOAD_BCRYPT_COST, seedLoadCustomers } = await import("./load/seed");
const { verify } = await import("./load/verify");
const { DEFAULT_WORKSPACE_LIMITS } = await import("../lib/agent-settings/workspace-limits-schema");

const deadline = new AbortController();
const deadlineTimer = setTimeout(() => deadline.abort(), config.LOAD_DEADLINE_S * 1000);
const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

// With a server of our own, use the address it knows itself by (NEXTAUTH_URL), so origin checks agree.
const baseUrl = config.startApp ? `http://localhost:${config.PORT}` : config.baseUrl;
let app: ChildProcess | null = null;
const workers: ChildProcess[] = [];
if (config.startApp) app = startApp(config.PORT);
const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
};
// Workers first: the app's launcher stops the database they use.
const stopApp = async () => {
  await Promise.all(workers.map(stop));
  if (app) await stop(app);
};
process.on("SIGINT", () => void stopApp().then(() => process.exit(130)));

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`Load test stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
} finally {
  clearTimeout(deadlineTimer);
  await stopApp();
}

async function main(): Promise<number> {
  const started = performance.now();
  await waitForHealth(`${baseUrl}/api/health`, deadline.signal);
  console.log(
    `App ready at ${baseUrl} (${seconds(started)}${config.startApp ? `, started by the load test, data in ${process.env.COUNTERSIGN_DATA_DIR}` : ""})`,
  );

  const database = await openDatabase();
  const db = clientFor(database.url);
  if (config.startApp) {
    for (let i = 0; i < config.LOAD_WORKER_PROCESSES; i++)
      workers.push(startWorker(database.url, i));
    if (workers.length)
      console.log(
        `Started ${workers.length} worker process${workers.length === 1 ? "" : "es"} beside the app's own workers`,
      );
  }
  try {
    const limits = await db.workspaceLimits.findFirst({ orderBy: { version: "desc" } });
    const perUser = {
      ...DEFAULT_WORKSPACE_LIMITS,
      ...((limits?.settings ?? {}) as Partial<typeof DEFAULT_WORKSPACE_LIMITS>),
    };
    if (perUser.userDailyBudgetMicros === 0)
      throw new Error(
        "The workspace's daily budget per user is $0, so every turn would be refused; raise it on /admin/agents first.",
      );
    // Each customer waits for an answer before its next turn (at most one run in flight); past
    // the per-minute limit it spaces its turns out rather than be refused.
    const spacingMs =
      config.LOAD_TURNS > perUser.maxTurnsPerMinute
        ? Math.ceil(60_000 / perUser.maxTurnsPerMinute) + 250
        : 0;

    const seeded = performance.now();
    const customers = await seedLoadCustomers(db, config.LOAD_USERS);
    const users = await db.user.findMany({
      where: { email: { in: customers.map((c) => c.email) } },
      select: { id: true },
    });
    console.log(
      `Seeded ${customers.length} load-test customers (load-NNNN@load.countersign.test, 3 orders each) in ${seconds(seeded)}`,
    );

    const records: RequestRecord[] = [];
    const signInStarted = performance.now();
    const sessions = await mapBounded(customers, config.LOAD_SIGNIN_CONCURRENCY, (c) =>
      signInCustomer(baseUrl, c, records, deadline.signal),
    );
    const signInSeconds = (performance.now() - signInStarted) / 1000;
    const signedIn = sessions.filter((s): s is Session => s !== null).length;
    console.log(
      `Signed in ${signedIn} of ${customers.length} in ${signInSeconds.toFixed(1)} s (${config.LOAD_SIGNIN_CONCURRENCY} at a time; load accounts hashed at bcrypt cost ${LOAD_BCRYPT_COST})`,
    );

    const since = new Date(Date.now() - 1000);
    const chatStarted = performance.now();
    const chatRecordsFrom = records.length;
    const opts = {
      turns: config.LOAD_TURNS,
      pollMs: config.LOAD_POLL_MS,
      answerTimeoutMs: config.LOAD_ANSWER_TIMEOUT_S * 1000,
      spacingMs,
      read: config.LOAD_READ,
    };
    console.log(
      `Chatting: ${signedIn} customers at once, ${config.LOAD_TURNS} turns each, ${config.LOAD_READ === "stream" ? "answers read through the live stream" : `polling every ${config.LOAD_POLL_MS} ms`}…`,
    );
    const perCustomer = await Promise.all(
      customers.map(async (c, i) => {
        const session = sessions[i];
        if (!session) return [];
        // Spread the first sends over a second, as people do not all press Send in the same millisecond.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 1000));
        return converse(session, c, opts, deadline.signal);
      }),
    );
    const chatSeconds = (performance.now() - chatStarted) / 1000;
    const turns = perCustomer.flat();

    const verdict = await verify(
      db,
      turns,
      users.map((u) => u.id),
      since,
      config.LOAD_SETTLE_S * 1000,
    );
    return report({
      records,
      chatRecordsFrom,
      turns,
      verdict,
      signedIn,
      customers: customers.length,
      signInSeconds,
      chatSeconds,
    });
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

type ReportInput = {
  records: RequestRecord[];
  chatRecordsFrom: number;
  turns: TurnRecord[];
  verdict: Awaited<ReturnType<typeof verify>>;
  signedIn: number;
  customers: number;
  signInSeconds: number;
  chatSeconds: number;
};

function report({
  records,
  chatRecordsFrom,
  turns,
  verdict,
  signedIn,
  customers,
  signInSeconds,
  chatSeconds,
}: ReportInput): number {
  const failedRequests = records.filter((r) => r.error !== undefined);
  const chatRequests = records.length - chatRecordsFrom;
  console.log(
    `\nHTTP requests: ${records.length} (${chatRequests} while chatting: ${(chatRequests / chatSeconds).toFixed(1)}/s over ${chatSeconds.toFixed(1)} s)`,
  );
  console.log(
    `  ${"kind".padEnd(8)} ${"count".padStart(6)} ${"errors".padStart(6)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}`,
  );
  for (const kind of ["sign-in", "stream", "send", "read", "poll", "all"] as const) {
    const of = kind === "all" ? records : records.filter((r) => r.kind === kind);
    const s = summarise(of.map((r) => r.ms));
    const errors = of.filter((r) => r.error !== undefined).length;
    console.log(
      `  ${kind.padEnd(8)} ${String(s.count).padStart(6)} ${String(errors).padStart(6)} ${ms(s.p50).padStart(8)} ${ms(s.p95).padStart(8)} ${ms(s.p99).padStart(8)} ${ms(s.max).padStart(8)}`,
    );
  }
  console.log(
    `  sign-in phase: ${signInSeconds.toFixed(1)} s for ${customers} customers (${(customers / signInSeconds).toFixed(1)}/s)`,
  );

  const answered = turns.filter((t) => t.ms !== null);
  const t = summarise(answered.map((a) => a.ms!));
  console.log(
    `\nTurns: ${turns.length} sent, ${answered.length} answered (${(answered.length / chatSeconds).toFixed(2)} answered/s)`,
  );
  console.log(
    `  turn to answer: p50 ${ms(t.p50)}, p95 ${ms(t.p95)}, p99 ${ms(t.p99)}, max ${ms(t.max)} (${config.LOAD_READ === "stream" ? "read on the stream's events" : `resolution: the ${config.LOAD_POLL_MS} ms poll`})`,
  );
  for (const kind of TURN_KINDS) {
    const of = turns.filter((x) => x.kind === kind);
    const s = summarise(of.filter((x) => x.ms !== null).map((x) => x.ms!));
    console.log(
      `  ${kind.padEnd(17)} ${String(of.length).padStart(4)} sent, ${String(s.count).padStart(4)} answered, p50 ${ms(s.p50)}, p95 ${ms(s.p95)}`,
    );
  }

  console.log(
    `\nDatabase: ${verdict.runs} runs of the load customers since the start: ${
      Object.entries(verdict.byStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none"
    }`,
  );
  console.log(
    `  lost (accepted without a run, or not terminal/parked within ${config.LOAD_SETTLE_S} s): ${verdict.lost.length}`,
  );
  console.log(
    `  wrong or missing answers: ${verdict.wrong.length}; runs no turn asked for: ${verdict.unexpected}`,
  );

  const unanswered = turns.filter((x) => x.ms === null);
  // A turn is in error once, whether it went unanswered, was answered wrongly, or both.
  const bad = new Set([
    ...unanswered.map((x) => x.runId ?? `unsent:${x.customer}:${x.kind}`),
    ...verdict.wrongRunIds,
  ]);
  const turnErrors = bad.size + (customers - signedIn) * config.LOAD_TURNS;
  const totalTurns = customers * config.LOAD_TURNS;
  console.log(
    `\nErrors: HTTP ${failedRequests.length} of ${records.length} (${pct(failedRequests.length, records.length)}); turns ${turnErrors} of ${totalTurns} (${pct(turnErrors, totalTurns)})`,
  );
  const samples = [
    ...failedRequests.map((r) => `${r.kind}: ${r.error}`),
    ...unanswered.map((x) => `turn ${x.kind} of customer ${x.customer}: ${x.error}`),
    ...verdict.wrong,
    ...verdict.lost,
  ];
  for (const line of samples.slice(0, 10)) console.log(`  ${line}`);
  if (samples.length > 10) console.log(`  … and ${samples.length - 10} more`);

  const failures: string[] = [];
  if (failedRequests.length / Math.max(1, records.length) >= 0.001)
    failures.push("HTTP errors ≥ 0.1%");
  if (turnErrors / Math.max(1, totalTurns) >= 0.001) failures.push("turn errors ≥ 0.1%");
  if (verdict.lost.length > 0) failures.push(`${verdict.lost.length} lost`);
  console.log(
    failures.length
      ? `\nFAIL: ${failures.join("; ")}`
      : "\nPASS: fewer than 0.1% errors, nothing lost",
  );
  return failures.length ? 1 : 0;
}

function startApp(port: number): ChildProcess {
  const log = path.join(process.env.COUNTERSIGN_DATA_DIR!, "app.log");
  mkdirSync(path.dirname(log), { recursive: true });
  const out = createWriteStream(log, { flags: "a" });
  const child = spawn("tsx", ["scripts/demo.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      NEXTAUTH_URL: `http://localhost:${port}`,
      NEXT_TELEMETRY_DISABLED: "1",
      COUNTERSIGN_DB_POOL_MAX: String(config.LOAD_DB_POOL_MAX),
    },
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  console.log(
    `Starting the app on port ${port} with ${config.LOAD_DB_POOL_MAX} database connections (log: ${log})…`,
  );
  child.once("exit", (code) => {
    if (!deadline.signal.aborted && code !== 0 && code !== null)
      console.error(`The app exited with code ${code}; see ${log}`);
  });
  return child;
}

/** One `npm run worker` process on the app's database and secret (both kept under the data directory). */
function startWorker(databaseUrl: string, index: number): ChildProcess {
  const dataDir = process.env.COUNTERSIGN_DATA_DIR!;
  const out = createWriteStream(path.join(dataDir, `worker-${index}.log`), { flags: "a" });
  const child = spawn("tsx", ["--conditions=react-server", "scripts/worker.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET:
        process.env.NEXTAUTH_SECRET ??
        readFileSync(path.join(dataDir, "nextauth-secret"), "utf8").trim(),
      COUNTERSIGN_DB_POOL_MAX: String(config.LOAD_DB_POOL_MAX),
    },
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

async function waitForHealth(url: string, signal: AbortSignal) {
  while (!signal.aborted) {
    if (app && app.exitCode !== null)
      throw new Error(`the app exited (code ${app.exitCode}) before it was healthy`);
    try {
      if ((await fetch(url, { signal })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} was not healthy before the deadline`);
}

/** `work` over `items`, at most `limit` at a time, results in order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
