// The integration tier's PostgreSQL, never the demo data: an embedded cluster of its own under
// .data/test-pg (or TEST_DATABASE_URL's server), a template database migrated and seeded once per
// run, and a copy of it for every test file (test/support/database-per-file.ts) so that files
// run side by side without seeing each other's rows. Every copy is dropped at the end of the run.
import { startEmbeddedPostgres, type LocalDatabase } from "../../lib/db/embedded-postgres";
import { applyMigrations } from "../../lib/db/migrations";
import { clientFor, seedDemoData } from "../../prisma/seed";
import { admin, dropTestDatabases, TEMPLATE_PREFIX, withDatabase } from "./test-databases";

const TEST_WORKSPACE_LIMITS = {
  maxRunsInFlight: 50,
  maxTurnsPerMinute: 600,
  userDailyBudgetMicros: 1_000_000_000,
};

const PORT = Number(process.env.TEST_PG_PORT ?? 25433);

type Template = { url: string; server: LocalDatabase };

// Both integration projects (the parallel one and the serial one) name this file; they share one
// template, built by whichever starts first, and the last to finish tears it down.
const shared = globalThis as unknown as {
  countersignTestTemplate?: Promise<Template>;
  countersignTestUsers?: number;
};

async function buildTemplate(): Promise<Template> {
  const name = `${TEMPLATE_PREFIX}${process.pid}`;
  const server = process.env.TEST_DATABASE_URL
    ? { url: withDatabase(process.env.TEST_DATABASE_URL, "postgres"), stop: async () => {} }
    : await startEmbeddedPostgres({ dataDir: ".data/test-pg", port: PORT, database: "postgres" });
  // Copies left by a run that was killed before its teardown.
  await dropTestDatabases(server.url);
  await admin(server.url, (client) => client.query(`create database "${name}"`));
  const url = withDatabase(server.url, name);
  await applyMigrations(url);
  const client = clientFor(url);
  await seedDemoData(client);
  // The demo accounts start hundreds of turns across the suite, many never advanced: the test
  // database runs under the widest per-user limits, and the spend-limit tests set their own.
  await client.workspaceLimits.create({
    data: {
      version: 1,
      settings: TEST_WORKSPACE_LIMITS,
      reason: "test database: the widest per-user limits",
    },
  });
  await client.$disconnect();
  return { url, server };
}

export default async function setup() {
  shared.countersignTestUsers = (shared.countersignTestUsers ?? 0) + 1;
  shared.countersignTestTemplate ??= buildTemplate();
  const template = await shared.countersignTestTemplate;
  // Each file's process copies the template and points DATABASE_URL at its copy.
  process.env.COUNTERSIGN_TEST_TEMPLATE_URL = template.url;
  delete process.env.DATABASE_URL;
  process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret-0000";
  delete process.env.ANTHROPIC_API_KEY;
  return async () => {
    shared.countersignTestUsers! -= 1;
    if (shared.countersignTestUsers! > 0) return;
    shared.countersignTestTemplate = undefined;
    await dropTestDatabases(template.server.url, process.pid).catch(() => {});
    await template.server.stop();
  };
}
