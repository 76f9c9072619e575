// npm run load: 200 customers chatting at once with the app on the offline model, on loopback
// only, bounded in count and time. Opens its own database, starts LOAD_APP_PROCESSES app
// processes on it the way `npm run demo` does (ports PORT, PORT+1, …) unless LOAD_URL names one
// already running. Prints, for the same turns in one run: latency, throughput and the CPU each
// process spent per turn; then the same turns straight on the engine (the floor) and the ratios.
// LOAD_THINK_MS paces the customers as people (staggered starts, pauses between turns; 0 keeps
// the closed loop). LOAD_COMPARE_USERS=1 runs one customer alone first; LOAD_KILL_ONE=1 SIGKILLs
// an app process mid-load. The database then checks that every turn was answered (or parked
// honestly for a reviewer), none twice, and no run was lost. Exits 1 on ≥ 0.1% errors, any loss or double effect.
import { loadavg } from "node:os";
import path from "node:path";
import { loadConfig } from "./load/config";
import { cpuDelta, cpuSecondsOfTrees, postmasterPid } from "./load/cpu";
import { signInCustomer } from "./load/customer";
import type { RequestRecord } from "./load/http";
import { describePacing } from "./load/pacing";
import { chatPhase } from "./load/phase";
import { startProcess, stopProcess, waitForHealth, type Started } from "./load/processes";
import * as out from "./load/report";
import { runFloor } from "./load/run-floor";

const config = loadConfig();
// The app this script starts, and the database it then reads, live apart from the demo's.
process.env.COUNTERSIGN_DATA_DIR ??= ".data/load";
process.env.EMBEDDED_PG_PORT ??= "25736";
const dataDir = process.env.COUNTERSIGN_DATA_DIR;
const { openDatabase } = await import("../lib/db/local-database");
const { clientFor } = await import("../prisma/seed");
const { LOAD_BCRYPT_COST, seedLoadCustomers } = await import("./load/seed");
const { SETTLED_STATUSES, verify } = await import("./load/verify");
const { DEFAULT_WORKSPACE_LIMITS } = await import("../lib/agent-settings/workspace-limits-schema");

const deadline = new AbortController();
const deadlineTimer = setTimeout(() => deadline.abort(), config.LOAD_DEADLINE_S * 1000);
const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;
const profile = config.LOAD_CPU_PROF === "1";

// With apps of our own, use the address each knows itself by (NEXTAUTH_URL), so origin checks agree.
const ports = Array.from({ length: config.LOAD_APP_PROCESSES }, (_, i) => config.PORT + i);
const baseUrls = config.startApp ? ports.map((p) => `http://localhost:${p}`) : [config.baseUrl];
const apps: Started[] = [];
const workers: Started[] = [];
// Workers first: they hold the app's jobs until they stop.
const stopAll = () =>
  Promise.all(workers.map((w) => stopProcess(w))).then(() =>
    Promise.all(apps.map((a) => stopProcess(a))),
  );
const database = await openDatabase();
// The database is the load test's own: stopped last, on an interrupt too.
process.on(
  "SIGINT",
  () =>
    void stopAll()
      .then(() => database.stop())
      .finally(() => process.exit(130)),
);
try {
  process.exitCode = await main();
} catch (error) {
  console.error(`Load test stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
} finally {
  clearTimeout(deadlineTimer);
  await stopAll();
  await database.stop();
}

function startApp(i: number): Started {
  const port = ports[i]!;
  console.log(`Starting app process ${i} on port ${port}…`);
  return startProcess(
    `app-${i}`,
    ["scripts/demo.ts"],
    {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: String(port),
      NEXTAUTH_URL: `http://localhost:${port}`,
      NEXT_TELEMETRY_DISABLED: "1",
      COUNTERSIGN_DB_POOL_MAX: String(config.LOAD_DB_POOL_MAX),
      COUNTERSIGN_WORKERS: config.LOAD_WEB_WORKERS,
    },
    { dataDir, profile },
  );
}

async function main(): Promise<number> {
  const started = performance.now();
  // The machine is shared: how busy it was says how far to trust the figures.
  const loadAtStart = loadavg();
  console.log(
    `Pacing: ${describePacing(config.LOAD_THINK_MS)}; load average (1 / 5 / 15 min) ${loadAtStart.map((x) => x.toFixed(2)).join(" / ")}`,
  );
  if (config.startApp) {
    // One at a time: the first applies the migrations, seeds and builds; the others find it done.
    for (let i = 0; i < ports.length; i++) {
      apps.push(startApp(i));
      await waitForHealth(`${baseUrls[i]}/api/health`, apps[i]!, deadline.signal);
    }
    const { readFileSync } = await import("node:fs");
    const secret = readFileSync(path.join(dataDir, "nextauth-secret"), "utf8").trim();
    for (let i = 0; i < config.LOAD_WORKER_PROCESSES; i++)
      workers.push(
        startProcess(
          `worker-${i}`,
          ["--conditions=react-server", "scripts/worker.ts"],
          {
            ...process.env,
            DATABASE_URL: database.url,
            NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secret,
            COUNTERSIGN_DB_POOL_MAX: String(config.LOAD_DB_POOL_MAX),
          },
          { dataDir, profile },
        ),
      );
  } else await waitForHealth(`${baseUrls[0]}/api/health`, null, deadline.signal);
  console.log(
    `${apps.length || 1} app process${apps.length > 1 ? "es" : ""} ready at ${baseUrls.join(", ")} (${seconds(started)}${config.startApp ? `, data in ${dataDir}, ${config.LOAD_DB_POOL_MAX} database connections each, ${config.LOAD_WEB_WORKERS === "1" ? "job workers in each app process and" : "no job workers in the app processes,"} ${workers.length} worker process${workers.length === 1 ? "" : "es"}${profile ? `, CPU profiles under ${dataDir}/profiles` : ""}` : ""})`,
  );

  const db = clientFor(database.url);
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

    // Each phase has customers of its own, so no customer's per-minute limit spans two phases.
    const compare = config.LOAD_COMPARE_USERS === "1";
    const seeded = performance.now();
    const alone = compare ? await seedLoadCustomers(db, 1, 0) : [];
    const many = await seedLoadCustomers(db, config.LOAD_USERS, alone.length);
    const floorFirst = alone.length + many.length;
    const floorCustomers =
      config.LOAD_FLOOR === "1" && config.startApp
        ? await seedLoadCustomers(db, config.LOAD_USERS, floorFirst)
        : [];
    console.log(
      `Seeded ${alone.length + many.length + floorCustomers.length} load-test customers (load-NNNN@load.countersign.test, 3 orders each) in ${seconds(seeded)}`,
    );
    const userIdsOf = async (emails: string[]) =>
      (await db.user.findMany({ where: { email: { in: emails } }, select: { id: true } })).map(
        (u) => u.id,
      );

    // Sign-in, then each customer's first page load (GET /chat, the server-rendered page), each a
    // step of its own so that the CPU each costs is read apart from the chat's.
    const signIns: RequestRecord[] = [];
    let cpuBefore = cpuSecondsOfTrees(processTrees());
    const signInStarted = performance.now();
    const sessions = await mapBounded([...alone, ...many], config.LOAD_SIGNIN_CONCURRENCY, (c) =>
      signInCustomer(baseUrls, c, signIns, deadline.signal),
    );
    const signInSeconds = (performance.now() - signInStarted) / 1000;
    out.printRequests(
      `Sign-in of ${sessions.length} customers, ${signInSeconds.toFixed(1)} s (${config.LOAD_SIGNIN_CONCURRENCY} at a time; load accounts hashed at bcrypt cost ${LOAD_BCRYPT_COST}; ${(sessions.length / signInSeconds).toFixed(1)}/s)`,
      signIns,
    );
    out.printCpu(
      cpuDelta(cpuBefore, cpuSecondsOfTrees(processTrees())),
      sessions.length,
      signInSeconds,
      "sign-in",
    );
    const pages: RequestRecord[] = [];
    for (const s of sessions) s?.recordInto(pages);
    cpuBefore = cpuSecondsOfTrees(processTrees());
    const pagesStarted = performance.now();
    await mapBounded(sessions, config.LOAD_SIGNIN_CONCURRENCY, (s) =>
      s ? s.request("page", "/chat").catch(() => null) : Promise.resolve(null),
    );
    const pageSeconds = (performance.now() - pagesStarted) / 1000;
    out.printRequests(
      `First page load (GET /chat) of each customer, ${pageSeconds.toFixed(1)} s`,
      pages,
    );
    out.printCpu(
      cpuDelta(cpuBefore, cpuSecondsOfTrees(processTrees())),
      pages.length,
      pageSeconds,
      "page load",
    );

    const since = new Date(Date.now() - 1000);
    const phases: out.Phase[] = [];
    const context = {
      config,
      apps,
      processTrees,
      spacingMs,
      signal: deadline.signal,
      runsLeasedBy: async (pids: number[]) =>
        (
          await db.run.findMany({
            where: { OR: pids.map((pid) => ({ leaseOwner: { contains: `:${pid}:` } })) },
            select: { id: true },
          })
        ).map((r) => r.id),
      settledCount: (ids: string[]) =>
        db.run.count({ where: { id: { in: ids }, status: { in: [...SETTLED_STATUSES] } } }),
    };
    if (compare)
      phases.push(await chatPhase(context, "1 customer alone", sessions.slice(0, 1), alone, false));
    phases.push(
      await chatPhase(
        context,
        `${many.length} customers at once`,
        sessions.slice(alone.length),
        many,
        config.LOAD_KILL_ONE === "1",
      ),
    );
    const main = phases.at(-1)!;
    for (const phase of phases) out.printPhase(phase);
    if (compare) out.printCompare(phases[0]!, main);

    const chatTurns = phases.flatMap((p) => p.turns);
    const verdict = await verify(
      db,
      chatTurns,
      await userIdsOf([...alone, ...many].map((c) => c.email)),
      since,
      config.LOAD_SETTLE_S * 1000,
    );
    out.printVerdict("Database, HTTP phases", verdict, config.LOAD_SETTLE_S);
    const failures: string[] = [];
    const errors = phases.map((p) => out.phaseErrors(p, verdict, config.LOAD_TURNS));
    const failed = errors.reduce((a, e) => a + e.failed, 0);
    const requests = errors.reduce((a, e) => a + e.requests, 0);
    const turnErrors = errors.reduce((a, e) => a + e.turnErrors, 0);
    const totalTurns =
      chatTurns.length +
      phases.reduce((a, p) => a + (p.customers - p.signedIn), 0) * config.LOAD_TURNS;
    out.printErrors(
      "HTTP phases",
      { failed, requests, turnErrors, samples: errors.flatMap((e) => e.samples) },
      totalTurns,
      [...verdict.wrong, ...verdict.lost, ...verdict.doubleEffects],
    );
    if (failed / Math.max(1, requests) >= 0.001) failures.push("HTTP errors ≥ 0.1%");
    if (turnErrors / Math.max(1, totalTurns) >= 0.001) failures.push("turn errors ≥ 0.1%");
    if (verdict.lost.length > 0) failures.push(`${verdict.lost.length} lost`);
    if (verdict.doubleEffects.length > 0)
      failures.push(`${verdict.doubleEffects.length} double effects`);
    if (verdict.unexpected > 0) failures.push(`${verdict.unexpected} runs no turn asked for`);

    if (floorCustomers.length) {
      // The engine alone, on the same database: the app processes stop first so that none of
      // their workers takes the floor's jobs (and their CPU profiles are written).
      await stopAll();
      const floor = await runFloor({
        customers: floorCustomers,
        turns: config.LOAD_TURNS,
        spacingMs,
        thinkMs: config.LOAD_THINK_MS,
        databaseUrl: database.url,
        dataDir,
        poolMax: config.LOAD_DB_POOL_MAX,
        profile,
        postgresPid: postmasterPid(path.join(dataDir, "pg")),
      });
      out.printFloor(main, floor);
      const floorVerdict = await verify(
        db,
        floor.turns,
        await userIdsOf(floorCustomers.map((c) => c.email)),
        since,
        config.LOAD_SETTLE_S * 1000,
      );
      out.printVerdict("Database, the floor", floorVerdict, config.LOAD_SETTLE_S);
      if (floorVerdict.lost.length || floorVerdict.wrong.length)
        failures.push("the floor's turns went wrong (see above)");
    }
    console.log(`\nRun: ${out.loadAverageLine({ start: loadAtStart, end: loadavg() })}`);
    console.log(
      failures.length
        ? `\nFAIL: ${failures.join("; ")}`
        : "\nPASS: fewer than 0.1% errors, nothing lost, nothing done twice",
    );
    return failures.length ? 1 : 0;
  } finally {
    await db.$disconnect();
  }
}

/** The process trees whose CPU the run reports. */
function processTrees(): Record<string, number | undefined> {
  return {
    ...Object.fromEntries(apps.map((a) => [a.name, a.child.pid])),
    ...Object.fromEntries(workers.map((w) => [w.name, w.child.pid])),
    postgres: postmasterPid(path.join(dataDir, "pg")),
  };
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
