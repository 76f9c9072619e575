// npm run bench:engine [-- --rounds=2 --steps=10,30,60 --clients=1,8 --budget=300]
// Countersign's engine (advanceRun) and LangGraph JS with its Postgres checkpointer, side by
// side on one embedded PostgreSQL, with the same scripted instant model and instant tool, in
// process. Engines alternate within each round. Not a test: it prints figures.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Engine, Measure } from "./stats";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "2" },
    steps: { type: "string", default: "10,30,60" },
    clients: { type: "string", default: "1,8" },
    // About this many steps per engine per configuration (at least one run per client).
    budget: { type: "string", default: "300" },
  },
});
const ROUNDS = Number(args.rounds);
const STEPS = args.steps.split(",").map(Number);
const CLIENTS = args.clients.split(",").map(Number);
const BUDGET = Number(args.budget);
const POOL_MAX = 10;
const PG_PORT = Number(process.env.BENCH_ENGINE_PG_PORT ?? 25436);
const here = import.meta.dirname;
// The figures go to stdout directly; the app's info log lines (one per trace event) are dropped,
// as LangGraph writes none: the terminal is not the engine.
const print = (line: string) => process.stdout.write(`${line}\n`);
console.log = () => {};

/** A fresh clone has no bench/node_modules: install LangGraph there (never into the app). */
function ensureBenchDependencies() {
  if (existsSync(path.join(here, "node_modules/@langchain/langgraph-checkpoint-postgres"))) return;
  print("Installing the benchmark's own dependencies into bench/node_modules …");
  const npm = spawnSync(
    "npm",
    ["install", "--prefix", here, "--legacy-peer-deps", "--no-audit", "--no-fund"],
    { stdio: "inherit" },
  );
  if (npm.status !== 0) throw new Error("npm install --prefix bench failed");
}

async function main() {
  ensureBenchDependencies();
  const { startEmbeddedPostgres, dropDatabase } = await import("../lib/db/embedded-postgres");
  const { applyMigrations } = await import("../lib/db/migrations");
  const { clientFor, seedDemoData } = await import("../prisma/seed");
  const scratch = `countersign_bench_engine_${process.pid}`;
  const database = await startEmbeddedPostgres({
    dataDir: ".data/bench-engine-pg",
    port: PG_PORT,
    database: scratch,
  });
  const engines: Engine[] = [];
  try {
    await applyMigrations(database.url);
    const seedClient = clientFor(database.url);
    await seedDemoData(seedClient);
    await seedClient.$disconnect();
    process.env.DATABASE_URL = database.url;
    process.env.COUNTERSIGN_DB_POOL_MAX = String(POOL_MAX);
    process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-00";
    delete process.env.ANTHROPIC_API_KEY;
    const { countersignEngine } = await import("./countersign");
    const { langGraphEngine } = await import("./langgraph");
    const { measure } = await import("./stats");
    const { stepCostEarlyAndLate } = await import("./script");
    engines.push(await countersignEngine(), await langGraphEngine(database.url, POOL_MAX));
    // Warm both up (JIT, and every connection of the pool with its prepared plans: at the most
    // clients measured) before anything is timed.
    const most = Math.max(...CLIENTS);
    for (const engine of engines) {
      for (let i = 0; i < 3; i++) await engine.run(10);
      await measure(most, 2 * most, 10, () => engine.run(10));
      await engine.verify?.();
    }

    const results = new Map<string, Measure[]>();
    const steady = new Map<string, { early: number; late: number }[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const steps of STEPS) {
        for (const clients of CLIENTS) {
          const runs = Math.max(clients, Math.round(BUDGET / steps / clients) * clients);
          const order =
            (round + STEPS.indexOf(steps) + CLIENTS.indexOf(clients)) % 2
              ? [...engines].reverse()
              : engines;
          for (const engine of order) {
            stepCostEarlyAndLate(); // forget the marks of the runs before
            const m = await measure(clients, runs, steps, () => engine.run(steps));
            // Each run's outcome is checked, after the clock stops.
            await engine.verify?.();
            // One client, so no step waits for another's: does a late step cost what an early one does?
            const split = clients === 1 ? stepCostEarlyAndLate() : null;
            if (split)
              steady.set(`${engine.name}|${steps}`, [
                ...(steady.get(`${engine.name}|${steps}`) ?? []),
                split,
              ]);
            const key = `${engine.name}|${steps}|${clients}`;
            results.set(key, [...(results.get(key) ?? []), m]);
            print(
              `round ${round} · ${engine.name.padEnd(12)} · ${String(steps).padStart(2)} steps · ${clients} client${clients > 1 ? "s" : " "} · ${m.msPerStep.toFixed(2)} ms/step · ${m.stepsPerSecond.toFixed(1)} steps/s`,
            );
          }
        }
      }
    }
    printTable(
      results,
      engines.map((e) => e.name),
    );
    printSteadiness(
      steady,
      engines.map((e) => e.name),
    );
  } finally {
    // Every pool is closed before the scratch database is dropped (which ends any connection left).
    for (const engine of engines)
      await engine.close().catch((error) => console.error(`closing ${engine.name}:`, error));
    await dropDatabase(Number(new URL(database.url).port), scratch).catch(() => {});
    await database.stop();
  }
}

function printTable(results: Map<string, Measure[]>, names: string[]) {
  const cell = (ms: Measure[] | undefined, pick: (m: Measure) => number, digits: number) =>
    (ms ?? []).map((m) => pick(m).toFixed(digits)).join(" / ");
  const mean = (ms: Measure[] | undefined, pick: (m: Measure) => number) =>
    (ms ?? []).reduce((s, m) => s + pick(m), 0) / Math.max(1, ms?.length ?? 0);
  print(
    `\nMedian ms per step (one value per round), and steps per second; ${POOL_MAX} connections per engine\n`,
  );
  print(
    `| engine | ${STEPS.flatMap((s) => CLIENTS.map((c) => `${s} steps, ${c} client${c > 1 ? "s" : ""}: ms/step · steps/s`)).join(" | ")} |`,
  );
  print(`|---|${STEPS.flatMap(() => CLIENTS.map(() => "---")).join("|")}|`);
  for (const name of names) {
    const cells = STEPS.flatMap((s) =>
      CLIENTS.map((c) => {
        const ms = results.get(`${name}|${s}|${c}`);
        return `${cell(ms, (m) => m.msPerStep, 2)} · ${cell(ms, (m) => m.stepsPerSecond, 1)}`;
      }),
    );
    print(`| ${name} | ${cells.join(" | ")} |`);
  }
  const [ours, theirs] = names as [string, string];
  const ratio = STEPS.flatMap((s) =>
    CLIENTS.map((c) => {
      const a = results.get(`${ours}|${s}|${c}`);
      const b = results.get(`${theirs}|${s}|${c}`);
      return `${(mean(a, (m) => m.msPerStep) / mean(b, (m) => m.msPerStep)).toFixed(2)}× time · ${(mean(a, (m) => m.stepsPerSecond) / mean(b, (m) => m.stepsPerSecond)).toFixed(2)}× throughput`;
    }),
  );
  print(`| ${ours} ÷ ${theirs} | ${ratio.join(" | ")} |`);
  const flat = (name: string) => {
    const at = (s: number) => mean(results.get(`${name}|${s}|1`), (m) => m.msPerStep);
    return STEPS.length > 1
      ? `${name}: ${STEPS.at(-1)}-step ms/step is ${((at(STEPS.at(-1)!) / at(STEPS[0]!) - 1) * 100).toFixed(0)}% off the ${STEPS[0]}-step figure (a run's fixed cost, set-up and routing, spread over more steps)`
      : "";
  };
  print(`\n${names.map(flat).join("\n")}`);
}

/** Within the same runs, one client: the median of the first ten steps against the last ten (step k: from its model call to the next). */
function printSteadiness(steady: Map<string, { early: number; late: number }[]>, names: string[]) {
  const longest = STEPS.at(-1)!;
  if (![...steady.keys()].some((key) => key.endsWith(`|${longest}`))) return;
  // Not a comparison between the engines: LangGraph runs at its default durability, "async", so a
  // step's checkpoint is written while the next step runs (invoke waits for them at the end) and
  // its steps' intervals leave most of its writes out. Countersign commits each step before the next.
  print(`\nA step's cost early and late in the same runs (one client; each engine against itself)`);
  for (const name of names) {
    const splits = steady.get(`${name}|${longest}`) ?? [];
    const cells = splits.map(
      (s) =>
        `${s.early.toFixed(2)} → ${s.late.toFixed(2)} ms (${s.late >= s.early ? "+" : ""}${((s.late / s.early - 1) * 100).toFixed(0)}%)`,
    );
    print(
      `${name}: in ${longest}-step runs, steps 1–10 → steps ${longest - 10}–${longest - 1}, median ms per step: ${cells.join(" / ")}`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
