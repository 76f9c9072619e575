// Runs in each integration test file's process before the file is loaded (vitest isolates every
// file in a process of its own): copies the run's template (test/support/global-setup.ts) into a
// database of this file's own and points DATABASE_URL at it, so the file's rows, jobs and runs
// are nobody else's. The run's teardown drops the copy.
import { randomUUID } from "node:crypto";
import { wireRuntimeOnFirstUse } from "@/lib/runtime/hooks";
import { cloneDatabase, databaseOf } from "./test-databases";

const templateUrl = process.env.COUNTERSIGN_TEST_TEMPLATE_URL;
if (!templateUrl)
  throw new Error(
    "COUNTERSIGN_TEST_TEMPLATE_URL is unset: integration tests run through vitest.config.ts's integration projects (npm run test:integration).",
  );

const name = `${databaseOf(templateUrl)}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
process.env.DATABASE_URL = await cloneDatabase(templateUrl, name);

// The features on the runtime's hooks (lib/features.ts), as every process entry point wires them:
// loaded when a test first advances a run, after the test file's mocks and environment.
wireRuntimeOnFirstUse(() => import("@/lib/features"));
