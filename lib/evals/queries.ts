import "server-only";
import { evalCaseSchema } from "@/lib/agent-kit";
import { evalSuites, registry } from "@/lib/agents";
import { activeVersion } from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import type { Observation } from "./observation";
import { recordedCases } from "./suites";

// Read models of /evals: DTOs, never rows.

export type SuiteSummary = {
  agent: string;
  name: string;
  fileCases: number;
  recordedCases: number;
  recordedVersion: number | null;
};
export type VersionPassRate = {
  agent: string;
  version: number;
  modelProvider: string;
  passed: number;
  total: number;
  runId: string;
  at: string;
  active: boolean;
};
export type RunSummary = {
  id: string;
  agent: string;
  version: number;
  suites: string;
  modelProvider: string;
  trigger: string;
  passed: number;
  total: number;
  regressions: string[];
  tokens: number;
  costMicros: number;
  durationMs: number;
  at: string;
  by: string | null;
};

const summary = (r: {
  id: string;
  agent: string;
  version: number;
  suites: string;
  modelProvider: string;
  trigger: string;
  passed: number;
  failed: number;
  regressions: string[];
  tokens: number;
  costMicros: number;
  durationMs: number;
  createdAt: Date;
  createdByEmail: string | null;
}): RunSummary => ({
  id: r.id,
  agent: r.agent,
  version: r.version,
  suites: r.suites,
  modelProvider: r.modelProvider,
  trigger: r.trigger,
  passed: r.passed,
  total: r.passed + r.failed,
  regressions: r.regressions,
  tokens: r.tokens,
  costMicros: r.costMicros,
  durationMs: r.durationMs,
  at: r.createdAt.toISOString(),
  by: r.createdByEmail,
});

export async function evalsOverview() {
  const suites: SuiteSummary[] = [];
  const passRates: VersionPassRate[] = [];
  for (const spec of registry.agents) {
    const recorded = await recordedCases(spec.name);
    const names = [
      ...new Set([
        ...evalSuites.filter((s) => s.agent === spec.name).map((s) => s.name),
        ...recorded.keys(),
      ]),
    ];
    for (const name of names) {
      suites.push({
        agent: spec.name,
        name,
        fileCases:
          evalSuites.find((s) => s.agent === spec.name && s.name === name)?.cases.length ?? 0,
        recordedCases: recorded.get(name)?.cases.length ?? 0,
        recordedVersion: recorded.get(name)?.version ?? null,
      });
    }
    const active = await activeVersion(spec.name);
    // The latest full run (every suite) of each version and model.
    const runs = await db.evalRun.findMany({
      where: { agent: spec.name, status: "finished" },
      orderBy: { createdAt: "desc" },
      distinct: ["version", "modelProvider", "suites"],
      take: 30,
    });
    const seen = new Set<string>();
    for (const r of runs) {
      const key = `${r.version}:${r.modelProvider}`;
      if (seen.has(key)) continue;
      seen.add(key);
      passRates.push({
        agent: spec.name,
        version: r.version,
        modelProvider: r.modelProvider,
        passed: r.passed,
        total: r.passed + r.failed,
        runId: r.id,
        at: r.createdAt.toISOString(),
        active: r.version === active,
      });
    }
  }
  const runs = (await db.evalRun.findMany({ orderBy: { createdAt: "desc" }, take: 25 })).map(
    summary,
  );
  return {
    suites,
    passRates: passRates.sort((a, b) => a.agent.localeCompare(b.agent) || b.version - a.version),
    runs,
  };
}

export type CaseResultView = {
  key: string;
  suite: string;
  source: string;
  passed: boolean;
  failures: string[];
  observation: Observation;
};

export async function evalRunDetail(id: string) {
  const run = await db.evalRun.findUnique({
    where: { id },
    include: { cases: { orderBy: [{ suite: "asc" }, { caseId: "asc" }] } },
  });
  if (!run) return null;
  return {
    ...summary(run),
    cases: run.cases.map((c): CaseResultView => ({
      key: `${c.suite}/${c.caseId}`,
      suite: c.suite,
      source: c.source,
      passed: c.passed,
      failures: c.failures as string[],
      observation: c.observation as unknown as Observation,
    })),
  };
}

/** Per case, the latest recorded result of each of two versions of an agent. */
export async function compareVersions(agent: string, a: number, b: number) {
  const latestCases = async (version: number) => {
    const results = await db.evalCaseResult.findMany({
      where: { evalRun: { agent, version, status: "finished" } },
      orderBy: { evalRun: { createdAt: "desc" } },
      include: { evalRun: { select: { id: true } } },
    });
    const byKey = new Map<string, CaseResultView & { runId: string }>();
    for (const c of results) {
      const key = `${c.suite}/${c.caseId}`;
      if (!byKey.has(key))
        byKey.set(key, {
          key,
          suite: c.suite,
          source: c.source,
          passed: c.passed,
          failures: c.failures as string[],
          observation: c.observation as unknown as Observation,
          runId: c.evalRun.id,
        });
    }
    return byKey;
  };
  const [left, right] = await Promise.all([latestCases(a), latestCases(b)]);
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort();
  return keys.map((key) => ({ key, a: left.get(key) ?? null, b: right.get(key) ?? null }));
}

export async function suiteDetail(agent: string, suite: string) {
  const file = evalSuites.find((s) => s.agent === agent && s.name === suite) ?? null;
  const versions = await db.evalSuiteVersion.findMany({
    where: { agent, suite },
    orderBy: { version: "desc" },
  });
  if (!file && versions.length === 0) return null;
  return {
    agent,
    suite,
    file: file
      ? {
          path: `agents/${agent}/evals/${suite}.ts`,
          description: file.description,
          cases: file.cases,
        }
      : null,
    recorded: versions[0] ? evalCaseSchema.array().parse(versions[0].cases) : [],
    versions: versions.map((v) => ({
      version: v.version,
      change: v.change,
      by: v.createdByEmail,
      at: v.createdAt.toISOString(),
      sourceRunId: v.sourceRunId,
      sourceApprovalId: v.sourceApprovalId,
      cases: (v.cases as unknown[]).length,
    })),
  };
}
