// Integration tests run against a real PostgreSQL that is never the demo data: an embedded
// cluster of their own under .data/test-pg, and a fresh database for every test run.
import { startEmbeddedPostgres, dropDatabase } from "../../lib/db/embedded-postgres";
import { applyMigrations } from "../../lib/db/migrations";
import { clientFor, seedDemoData } from "../../prisma/seed";

const TEST_WORKSPACE_LIMITS = { maxRunsInFlight: 50, maxTurnsPerMinute: 600, userDailyBudgetMicros: 1_000_000_000 };

const PORT = Number(process.env.TEST_PG_PORT ?? 25433);

export default async function setup() {
  const name = `countersign_test_${process.pid}`;
  const database = process.env.TEST_DATABASE_URL
    ? { url: process.env.TEST_DATABASE_URL, stop: async () => {} }
    : await startEmbeddedPostgres({ dataDir: ".data/test-pg", port: PORT, database: name });
  await applyMigrations(database.url);
  const client = clientFor(database.url);
  await seedDemoData(client);
  // The demo accounts start hundreds of turns across the suite, many never advanced: the test
  // database runs under the widest per-user limits, and the spend-limit tests set their own.
  await client.workspaceLimits.create({ data: { version: 1, settings: TEST_WORKSPACE_LIMITS, reason: "test database: the widest per-user limits" } });
  await client.$disconnect();
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret-0000";
  delete process.env.ANTHROPIC_API_KEY;
  return async () => {
    if (!process.env.TEST_DATABASE_URL) await dropDatabase(Number(new URL(database.url).port), name).catch(() => {});
    await database.stop();
  };
}
