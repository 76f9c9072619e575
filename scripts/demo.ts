// npm run demo: the whole product from a fresh clone. Starts (or reuses) the database, applies
// migrations, seeds the demo shop and accounts, builds if needed, and serves the app.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DATA_DIR, openDatabase } from "../lib/db/local-database";
import { applyMigrations } from "../lib/db/migrations";
import { clientFor, seedDemoData } from "../prisma/seed";
import { NO_RUNS_SQL, seedWeekOfHistory } from "../prisma/seed-week";
import { buildIfStale } from "./build-if-stale";

const started = performance.now();
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;

mkdirSync(DATA_DIR, { recursive: true });
const secret =
  process.env.NEXTAUTH_SECRET ?? persistentSecret(path.join(DATA_DIR, "nextauth-secret"));

const database = await openDatabase();
console.log(
  `Database ready (${database.embedded ? "embedded PostgreSQL under " + DATA_DIR : "DATABASE_URL"}) at ${elapsed()}`,
);
const applied = await applyMigrations(database.url);
if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
const client = clientFor(database.url);
await seedDemoData(client);
// A fresh database gets a week of run history, so /ops has something to show on first start
// (set-based SQL: well under a second). COUNTERSIGN_DEMO_HISTORY=0 skips it.
const fresh = (await client.$queryRawUnsafe<{ fresh: boolean }[]>(NO_RUNS_SQL))[0]?.fresh ?? false;
if (fresh && process.env.COUNTERSIGN_DEMO_HISTORY !== "0" && (await seedWeekOfHistory(client)))
  console.log(`Seeded a week of run history for /ops at ${elapsed()}`);
await client.$disconnect();

if (!dev) buildIfStale();

// Our own server rather than `next start`: it records each request's socket address (see scripts/server.ts).
const server = spawn("tsx", ["scripts/server.ts", ...(dev ? ["--dev"] : []), String(port)], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    COUNTERSIGN_DEMO: "1",
    // What the `next` command sets for `next start` / `next dev`; our own server must set it too.
    NODE_ENV: dev ? "development" : "production",
    NEXT_RUNTIME: "nodejs",
    NEXT_TELEMETRY_DISABLED: "1",
  },
});

const shutdown = async (code: number) => {
  server.kill("SIGTERM");
  await database.stop().catch(() => {});
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
server.on("exit", (code) => void shutdown(code ?? 1));

await waitForHealth(`http://localhost:${port}/api/health`);
console.log(`\nCountersign is ready at http://localhost:${port} (${elapsed()} after start)`);
console.log(
  `Demo accounts (password countersign-demo): user@example.com, reviewer@example.com, admin@example.com\n`,
);

function persistentSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const value = randomBytes(32).toString("base64url");
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

async function waitForHealth(url: string) {
  for (let i = 0; i < 600; i++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within 150s`);
}
