import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import path from "node:path";

// Two tiers (CONTRIBUTING.md). The rule is where the file lives:
// - integration: everything under test/integration/ and test/fuzz/, and any *.integration.test.ts
//   (an agent's tests that use the database stay in its folder). Each file runs on its own database, cloned
//   from a migrated, seeded template (test/support/global-setup.ts, test/support/database-per-file.ts),
//   so files run side by side. The few in SERIAL run after the rest, one at a time (why, below).
// - unit: every other *.test.ts. No database: DATABASE_URL points nowhere and opening a
//   connection throws at once, saying where the test belongs (test/support/no-database.ts).
const SOURCES = ["test", "agents", "lib", "packages"];
const INTEGRATION = [
  "test/integration/**/*.test.ts",
  "test/fuzz/**/*.test.ts",
  ...SOURCES.map((dir) => `${dir}/**/*.integration.test.ts`),
];

// evals and hermetic both start the eval scratch cluster (one data directory, one port): run
// together, the two starts race for it.
const SERIAL = ["test/integration/evals.test.ts", "test/integration/hermetic.test.ts"];

const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "test/support/empty-module.ts"),
};

const integration = (
  name: string,
  include: string[],
  exclude: string[],
  options: { groupOrder: number; parallel: boolean },
): TestProjectInlineConfiguration => ({
  extends: true,
  test: {
    name,
    include,
    exclude: [...configDefaults.exclude, ...exclude],
    fileParallelism: options.parallel,
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/database-per-file.ts"],
    sequence: { groupOrder: options.groupOrder },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  resolve: { alias },
  test: {
    // Two files at a time by default, one per core here; VITEST_MAX_WORKERS=1 runs them one by one.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 2),
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: SOURCES.map((dir) => `${dir}/**/*.test.ts`),
          exclude: [...configDefaults.exclude, ...INTEGRATION],
          setupFiles: ["test/support/no-database.ts"],
          // As before the tiers: a loaded machine can stretch a loopback-server test past Vitest's 5 s.
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
          env: { NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0000" },
        },
      },
      integration("integration", INTEGRATION, SERIAL, { groupOrder: 0, parallel: true }),
      integration("integration-serial", SERIAL, [], { groupOrder: 1, parallel: false }),
    ],
  },
});
