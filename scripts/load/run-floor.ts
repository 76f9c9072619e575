// Starts the floor (scripts/load/floor.ts) in a process of its own, as the app's code needs the
// react-server condition, waits for it, and turns its figures into the load test's turn records
// so that the same report and the same database verdict apply to them.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { cpuDelta, cpuSecondsOfTrees } from "./cpu";
import type { TurnRecord } from "./customer";
import type { FloorTurn } from "./floor";
import { startProcess } from "./processes";
import type { FloorResult } from "./report";
import type { LoadCustomer } from "./seed";
import { planTurn } from "./turns";

export async function runFloor(opts: {
  customers: LoadCustomer[];
  turns: number;
  spacingMs: number;
  thinkMs: number;
  databaseUrl: string;
  dataDir: string;
  poolMax: number;
  profile: boolean;
  postgresPid: number | undefined;
}): Promise<FloorResult> {
  const result = path.resolve(opts.dataDir, "floor.json");
  rmSync(result, { force: true });
  console.log(
    `\nThe floor: ${opts.customers.length} other customers, the same ${opts.turns} turns each, straight on the engine…`,
  );
  const floor = startProcess(
    "floor",
    ["--conditions=react-server", "scripts/load/floor.ts"],
    {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      NEXTAUTH_SECRET:
        process.env.NEXTAUTH_SECRET ??
        readFileSync(path.join(opts.dataDir, "nextauth-secret"), "utf8").trim(),
      COUNTERSIGN_DB_POOL_MAX: String(opts.poolMax),
      LOAD_FLOOR_FIRST: String(opts.customers[0]!.index),
      LOAD_USERS: String(opts.customers.length),
      LOAD_TURNS: String(opts.turns),
      LOAD_FLOOR_SPACING_MS: String(opts.spacingMs),
      LOAD_THINK_MS: String(opts.thinkMs),
      LOAD_FLOOR_OUT: result,
    },
    { dataDir: opts.dataDir, profile: opts.profile },
  );
  const trees = () => ({ postgres: opts.postgresPid });
  const before = cpuSecondsOfTrees(trees());
  const loadBefore = loadavg();
  const code = await new Promise<number | null>((resolve) => floor.child.once("exit", resolve));
  const postgres = cpuDelta(before, cpuSecondsOfTrees(trees()));
  const loadAverage = { start: loadBefore, end: loadavg() };
  if (code !== 0 || !existsSync(result))
    throw new Error(`the floor's process failed (code ${code}); see ${floor.log}`);
  const figures = JSON.parse(readFileSync(result, "utf8")) as {
    turns: FloorTurn[];
    seconds: number;
    cpuSeconds: number;
  };
  const byIndex = new Map(opts.customers.map((c) => [c.index, c]));
  const turns: TurnRecord[] = figures.turns.map((t) => ({
    ...planTurn(byIndex.get(t.customer)!, t.k),
    customer: t.customer,
    runId: t.runId,
    ms: t.ms,
    sentAt: t.at,
    answer: null,
    ...(t.error && { error: t.error }),
  }));
  return {
    turns,
    seconds: figures.seconds,
    cpu: { engine: figures.cpuSeconds, ...postgres },
    thinkMs: opts.thinkMs,
    loadAverage,
  };
}
