import "server-only";
import { evalCaseSchema, type EvalCase } from "@/lib/agent-kit";
import { evalSuites } from "@/lib/agents";
import { db, type Tx } from "@/lib/db";

// An agent's suites are its files (agents/<name>/evals, code, versioned by git) plus the cases
// recorded from real decisions (the database, versioned in eval_suite_versions). A run takes both.

export type SuiteCase = { key: string; suite: string; source: "file" | "recorded"; case: EvalCase };

export async function recordedCases(
  agent: string,
  client: Tx | typeof db = db,
): Promise<Map<string, { version: number; cases: EvalCase[] }>> {
  const rows = await client.evalSuiteVersion.findMany({
    where: { agent },
    orderBy: { version: "desc" },
    distinct: ["suite"],
  });
  return new Map(
    rows.map((r) => [
      r.suite,
      { version: r.version, cases: evalCaseSchema.array().parse(r.cases) },
    ]),
  );
}

/** Suite names of an agent: its files', then any recorded-only suite. */
export async function suiteNames(agent: string): Promise<string[]> {
  const files = evalSuites.filter((s) => s.agent === agent).map((s) => s.name);
  const recorded = [...(await recordedCases(agent)).keys()];
  return [...new Set([...files, ...recorded])];
}

export async function casesOf(agent: string, suites?: readonly string[]): Promise<SuiteCase[]> {
  const wanted = (name: string) => !suites?.length || suites.includes(name);
  const out: SuiteCase[] = [];
  for (const suite of evalSuites.filter((s) => s.agent === agent && wanted(s.name))) {
    for (const c of suite.cases)
      out.push({ key: `${suite.name}/${c.id}`, suite: suite.name, source: "file", case: c });
  }
  for (const [suite, { cases }] of await recordedCases(agent)) {
    if (!wanted(suite)) continue;
    for (const c of cases)
      out.push({ key: `${suite}/${c.id}`, suite, source: "recorded", case: c });
  }
  return out;
}
