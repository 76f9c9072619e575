import "server-only";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { configVariables } from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import { effectiveSettings, settingsAt, versionExists } from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { EvalPlan, EvalPlanResult } from "./plan";
import { checkCase } from "./properties";
import { casesOf, suiteNames } from "./suites";
import type { Observation } from "./observation";

// One eval run: the agent's suites against one settings version, in a scratch process on a fresh
// copy of the demo state; the properties checked here, the results recorded in eval_runs and
// eval_case_results, and compared with the last recorded result of that version.

export type CaseOutcome = {
  key: string;
  suite: string;
  source: "file" | "recorded";
  title: string;
  passed: boolean;
  failures: string[];
  observation: Observation;
  regression: boolean;
};
export type EvalReport = {
  id: string;
  agent: string;
  version: number;
  suites: string[];
  modelProvider: string;
  cases: CaseOutcome[];
  passed: number;
  failed: number;
  regressions: string[];
  /** What the regressions were measured against (null: nothing recorded yet, so every failure counts). */
  baselineRunId: string | null;
  tokens: number;
  costMicros: number;
  durationMs: number;
};

export type RunEvalsInput = {
  agent: string;
  suites?: string[];
  version?: number;
  trigger: "cli" | "gate" | "test" | "console";
  actorEmail?: string;
};

const WORKER = path.resolve("scripts/eval-worker.ts");
const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

/** How to run at all: paths, locale, Node, and where the eval PostgreSQL lives. */
const RUNNING =
  /^(PATH|HOME|USER|TMPDIR|TEMP|TMP|TZ|LANG|LC_[A-Z]+|NODE_OPTIONS|NODE_EXTRA_CA_CERTS|COUNTERSIGN_DATA_DIR|COUNTERSIGN_EVAL_[A-Z_]+)$/;

/**
 * What the scratch process inherits: how to run, the model's key and address, and what the agents'
 * config schemas read (their sandboxes and fixtures get the parsed config, as in the app). The
 * evals are hermetic by construction, not by hiding addresses: scratch runs use the agents'
 * sandboxes, never createDeps, and the process refuses every connection but the scratch database
 * and the model (lib/scratch). Not the app's database, secrets, webhook or telemetry settings.
 */
function scratchEnvironment(): NodeJS.ProcessEnv {
  const agentVariables = new Set(registry.agents.flatMap(configVariables));
  const inherited = Object.entries(process.env).filter(
    ([name]) =>
      RUNNING.test(name) ||
      name === "ANTHROPIC_API_KEY" ||
      name === "ANTHROPIC_BASE_URL" ||
      agentVariables.has(name),
  );
  const secret = process.env.NEXTAUTH_SECRET;
  return {
    ...Object.fromEntries(inherited),
    NODE_ENV: process.env.NODE_ENV === "test" ? "test" : "production",
    // The scratch process derives its own; demo services keyed on it (the carrier) are reached in-process there.
    NEXTAUTH_SECRET:
      secret && secret.length >= 32 ? secret : "eval-scratch-secret-eval-scratch-secret",
    COUNTERSIGN_WORKERS: "0",
  };
}

// The scratch process makes (and drops) its own copy of the demo state: this process, which may be
// the web server, never imports the migration engine or the seed, and hands the child no database.
function runWorker(plan: EvalPlan): Promise<EvalPlanResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "countersign-eval-"));
  const planFile = path.join(dir, "plan.json");
  const resultFile = path.join(dir, "result.json");
  writeFileSync(planFile, JSON.stringify(plan));
  return new Promise<EvalPlanResult>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [TSX, "--conditions=react-server", WORKER, planFile, resultFile],
      {
        env: scratchEnvironment(),
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        if (code !== 0)
          return reject(
            new Error(
              `the scratch process exited with ${code}: ${stderr.trim().split("\n").slice(-5).join(" | ")}`,
            ),
          );
        resolve(JSON.parse(readFileSync(resultFile, "utf8")) as EvalPlanResult);
      } catch (error) {
        reject(error as Error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

async function baselineFor(agent: string, version: number, modelProvider: string) {
  const ofVersion = await db.evalRun.findFirst({
    where: { agent, version, modelProvider, status: "finished" },
    orderBy: { createdAt: "desc" },
    include: { cases: { select: { suite: true, caseId: true, passed: true } } },
  });
  if (ofVersion) return ofVersion;
  // A version never evaluated is measured against the active one it would replace.
  const active = (await effectiveSettings(agent)).version;
  if (active === version) return null;
  return db.evalRun.findFirst({
    where: { agent, version: active, modelProvider, status: "finished" },
    orderBy: { createdAt: "desc" },
    include: { cases: { select: { suite: true, caseId: true, passed: true } } },
  });
}

export async function runEvals(input: RunEvalsInput): Promise<EvalReport> {
  if (!registry.find(input.agent))
    throw new AppError("invalid_input", `agent: no agent named ${input.agent}`);
  const version = input.version ?? (await effectiveSettings(input.agent)).version;
  if (!(await versionExists(input.agent, version)))
    throw new AppError("not_found", `version: ${input.agent} has no settings version ${version}`);
  const known = await suiteNames(input.agent);
  const unknown = (input.suites ?? []).filter((s) => !known.includes(s));
  if (unknown.length)
    throw new AppError(
      "invalid_input",
      `suite: ${input.agent} has no suite named ${unknown.join(", ")} (it has ${known.join(", ") || "none"})`,
    );
  const suites = input.suites?.length ? input.suites : known;
  const cases = await casesOf(input.agent, suites);
  if (!cases.length) throw new AppError("invalid_input", `suite: ${input.agent} has no eval cases`);

  const others = await Promise.all(
    registry.agents.filter((a) => a.name !== input.agent).map((a) => effectiveSettings(a.name)),
  );
  const plan: EvalPlan = {
    agent: input.agent,
    version,
    settings: await settingsAt(input.agent, version),
    others,
    cases: cases.map(({ key, case: c }) => ({ key, case: c })),
  };

  const started = Date.now();
  const result = await runWorker(plan);
  const durationMs = Date.now() - started;

  const baseline = await baselineFor(input.agent, version, result.modelProvider);
  const before = new Map(baseline?.cases.map((c) => [`${c.suite}/${c.caseId}`, c.passed]) ?? []);
  const outcomes: CaseOutcome[] = cases.map(({ key, suite, source, case: c }) => {
    const observation = result.observations[key]!;
    const failures = checkCase(c, observation);
    const passed = failures.length === 0;
    // A regression: fails now, and did not fail last time (or is new since then).
    return {
      key,
      suite,
      source,
      title: c.title,
      passed,
      failures,
      observation,
      regression: !passed && before.get(key) !== false,
    };
  });
  const regressions = outcomes.filter((o) => o.regression).map((o) => o.key);
  const tokens = outcomes.reduce((sum, o) => sum + o.observation.tokens, 0);
  const costMicros = outcomes.reduce((sum, o) => sum + o.observation.costMicros, 0);
  const passed = outcomes.filter((o) => o.passed).length;

  const run = await db.evalRun.create({
    data: {
      agent: input.agent,
      suites: suites.join(","),
      version,
      modelProvider: result.modelProvider,
      trigger: input.trigger,
      status: "finished",
      passed,
      failed: outcomes.length - passed,
      regressions,
      tokens,
      costMicros,
      durationMs,
      createdByEmail: input.actorEmail ?? null,
      cases: {
        create: outcomes.map((o) => ({
          suite: o.suite,
          caseId: o.key.slice(o.suite.length + 1),
          source: o.source,
          passed: o.passed,
          failures: o.failures,
          observation: o.observation as unknown as Prisma.InputJsonValue,
          tokens: o.observation.tokens,
          costMicros: o.observation.costMicros,
          durationMs: o.observation.durationMs,
        })),
      },
    },
  });
  return {
    id: run.id,
    agent: input.agent,
    version,
    suites,
    modelProvider: result.modelProvider,
    cases: outcomes,
    passed,
    failed: outcomes.length - passed,
    regressions,
    baselineRunId: baseline?.id ?? null,
    tokens,
    costMicros,
    durationMs,
  };
}
