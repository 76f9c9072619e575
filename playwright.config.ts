import { defineConfig } from "@playwright/test";

// The browser tests drive the real app, started by the same launcher as `npm run demo`, on its
// own port, data directory and a fresh database, in Debian's Chromium (Playwright's own browser
// downloads are not reachable here).
const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://localhost:${PORT}`;
// Fixed once in the runner and inherited by the workers, so specs can reach the app's database.
process.env.E2E_DB_NAME ??= `e2e_${Date.now()}`;

// Specs that may run two at a time beside each other (project "shared"): each works on its own
// orders and items, changes no setting another spec reads, signs nobody out, loads the app no
// more than a person would and asserts no timing. Every other spec is in project "alone": a new
// spec is alone until someone checks it belongs here. Why the rest are alone:
//   access (deactivates user2@, whom others sign in as), account-security (throttles sign-ins
//   from this machine's address), admin-limits and limits (agent and workspace limits, shop
//   faults), alerts (alert rules), four-eyes and policy-teams (policy rules, teams), inbox and
//   triage (keyboard counts and bulk decisions over the whole inbox), live-updates and
//   turn-latency (timings; turn-latency raises the turn limit), race (50 decisions at once: a
//   page of the spec beside it waited 55 s for its scripts), shadow (an agent's shadow candidate
//   sees every chat), sso (a second app and its settings), two-processes (a second app, SIGKILL,
//   the turn limit, policy), whole-app-kill (kills and restarts an app, timed recovery),
//   screenshots (pictures of the whole inbox).
const SHARED = [
  "accessibility.spec.ts",
  "customer-words.spec.ts",
  "evals.spec.ts",
  "expiry.spec.ts",
  "external-agent.spec.ts",
  "golden-path.spec.ts",
  "ops.spec.ts",
  "security.spec.ts",
  "shipping.spec.ts",
];
// The whole suite (`npm test`, `npm run test:e2e`) sets E2E_SHARED_FIRST=1 and two workers: the
// shared specs run two at a time, then the rest one at a time. Without it (one spec named on the
// command line: `npx playwright test e2e/inbox.spec.ts`) nothing else runs first, and one worker
// runs everything in turn. (Playwright runs a dependency in full even when one spec is named.)
const SHARED_FIRST = process.env.E2E_SHARED_FIRST === "1";

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Two only for the whole suite, where "alone" waits for "shared" (above).
  workers: SHARED_FIRST ? 2 : 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "shared", testMatch: SHARED },
    {
      name: "alone",
      testIgnore: SHARED,
      workers: 1,
      dependencies: SHARED_FIRST ? ["shared"] : [],
    },
  ],
  webServer: {
    command: "tsx scripts/demo.ts",
    url: `${BASE_URL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    // The launcher stops its PostgreSQL cleanly on SIGTERM, so the next run starts on a quiet data directory.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      COUNTERSIGN_DATA_DIR: ".data/e2e",
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? "25434",
      COUNTERSIGN_DB_NAME: process.env.E2E_DB_NAME,
      NEXTAUTH_URL: BASE_URL,
      // The specs start from the demo's seed alone; ops.spec.ts adds the week of history it reads.
      COUNTERSIGN_DEMO_HISTORY: "0",
    },
  },
});
