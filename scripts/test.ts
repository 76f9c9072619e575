// npm test: every test. Type-check, lint and format check, Vitest's unit tier (no database), its
// integration tier (each file on its own copy of a migrated PostgreSQL, two at a time), then
// Playwright in Chromium against the built app. Stops at the first failing stage.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { buildIfStale } from "./build-if-stale";

const REPORTS = ".data/test-reports";
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

type Stage = { name: string; run: () => number };

const command = (cmd: string, args: string[]) => () =>
  spawnSync(cmd, args, {
    stdio: "inherit",
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      PLAYWRIGHT_JSON_OUTPUT_NAME: `${REPORTS}/playwright.json`,
    },
  }).status ?? 1;

// The Vitest tiers (vitest.config.ts): the same commands as `npm run test:fast` and `npm run test:integration`.
const VITEST_TIERS = ["unit", "integration"] as const;
const TIER_PROJECTS = { unit: ["unit"], integration: ["integration", "integration-serial"] };
const vitest = (tier: (typeof VITEST_TIERS)[number]) =>
  command("vitest", [
    "run",
    ...TIER_PROJECTS[tier].flatMap((p) => ["--project", p]),
    "--reporter=default",
    "--reporter=json",
    `--outputFile=${REPORTS}/vitest-${tier}.json`,
  ]);

/** Test counts from the runners' JSON reports, for one closing line. */
function counts() {
  const read = (file: string) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null);
  const reports = VITEST_TIERS.map((tier) => read(`${REPORTS}/vitest-${tier}.json`));
  const playwright = read(`${REPORTS}/playwright.json`);
  const sum = (key: string) => reports.reduce((total, report) => total + (report?.[key] ?? 0), 0);
  return {
    passed: sum("numPassedTests") + (playwright?.stats?.expected ?? 0),
    failed: sum("numFailedTests") + (playwright?.stats?.unexpected ?? 0),
    /** Specs that failed, then passed on their retry (CI only, playwright.config.ts). */
    flaky: flakySpecs(playwright),
    skipped: sum("numPendingTests") + (playwright?.stats?.skipped ?? 0),
  };
}

type PlaywrightSuite = {
  specs?: { file: string; line: number; title: string; tests: { status: string }[] }[];
  suites?: PlaywrightSuite[];
};

/** "file:line › title" of each Playwright spec whose outcome was flaky (failed, then passed). */
function flakySpecs(report: { suites?: PlaywrightSuite[] } | null): string[] {
  const walk = (suite: PlaywrightSuite): string[] => [
    ...(suite.specs ?? [])
      .filter((spec) => spec.tests.some((t) => t.status === "flaky"))
      .map((spec) => `${spec.file}:${spec.line} › ${spec.title}`),
    ...(suite.suites ?? []).flatMap(walk),
  ];
  return (report?.suites ?? []).flatMap(walk);
}

const stages: Stage[] = [
  { name: "typecheck", run: command("tsc", ["--noEmit"]) },
  { name: "lint", run: command("eslint", [".", "--max-warnings=0"]) },
  { name: "format (prettier)", run: command("prettier", ["--check", "."]) },
  { name: "unit (vitest)", run: vitest("unit") },
  { name: "integration (vitest)", run: vitest("integration") },
  {
    name: "build",
    run: () => {
      buildIfStale();
      return 0;
    },
  },
  { name: "browser (playwright)", run: command("playwright", ["test", "--reporter=list,json"]) },
];

const started = performance.now();
let failedStage: string | undefined;
for (const stage of stages) {
  const t0 = performance.now();
  console.log(`\n▶ ${stage.name}`);
  const status = stage.run();
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  if (status !== 0) {
    failedStage = stage.name;
    console.error(`✖ ${stage.name} failed after ${seconds}s`);
    break;
  }
  console.log(`✔ ${stage.name} (${seconds}s)`);
}
console.log(`\nnpm test took ${((performance.now() - started) / 1000).toFixed(1)}s`);
const total = counts();
// A failing stage with no failing test (type errors, lint, build) still counts as a failure.
const failed = total.failed + (failedStage && total.failed === 0 ? 1 : 0);
const flaky = total.flaky.length ? `, ${total.flaky.length} flaky (passed on a retry)` : "";
console.log(`tests: ${total.passed} passed, ${failed} failed${flaky}, ${total.skipped} skipped`);
for (const spec of total.flaky) console.log(`  flaky, to be fixed: ${spec}`);
process.exit(failedStage ? 1 : 0);
