import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  BASELINE_DAYS,
  BASELINE_MAX_RUNS,
  BASELINE_MIN_SAMPLE,
  baselineOf,
  RUN_METRICS,
  type BaselineMetric,
} from "./statistic";

type RunRow = {
  agent: string;
  status: string;
  tokens: number;
  cost_micros: number;
  duration_ms: number;
  iterations: number;
  tool_calls: number;
  intervened: boolean;
};

/**
 * Recomputes every agent's baselines from its last BASELINE_MAX_RUNS finished runs of the last
 * BASELINE_DAYS days: per-run metrics over the runs that completed, failure and intervention
 * rates over all that finished. An agent with fewer than BASELINE_MIN_SAMPLE runs keeps no
 * baseline (its old rows are removed), so nothing is flagged against a handful of runs.
 */
export async function refreshBaselines(
  now: Date = new Date(),
): Promise<{ agents: number; rows: number }> {
  const since = new Date(now.getTime() - BASELINE_DAYS * 86_400_000);
  const runs = await db.$queryRaw<RunRow[]>`
    select agent, status::text as status, tokens, cost_micros, duration_ms, iterations, tool_calls, intervened from (
      select r.agent, r.status,
        (r.input_tokens + r.output_tokens)::float8 as tokens,
        r.cost_micros::float8 as cost_micros,
        (extract(epoch from (r.finished_at - r.created_at)) * 1000)::float8 as duration_ms,
        r.iterations::float8 as iterations,
        (select count(*) from tool_calls c where c.run_id = r.id)::float8 as tool_calls,
        exists (select 1 from approvals a where a.run_id = r.id) as intervened,
        row_number() over (partition by r.agent order by r.finished_at desc) as n
      from runs r
      where r.mode = 'live' and r.agent is not null and r.finished_at is not null
        and r.finished_at > ${since} and r.finished_at <= ${now}
        and r.status in ('completed', 'failed', 'terminated')
    ) recent where n <= ${BASELINE_MAX_RUNS}`;

  const byAgent = new Map<string, RunRow[]>();
  for (const run of runs) byAgent.set(run.agent, [...(byAgent.get(run.agent) ?? []), run]);
  const rows: Prisma.AgentBaselineCreateManyInput[] = [];
  for (const [agent, finished] of byAgent) {
    const completed = finished.filter((r) => r.status === "completed");
    for (const metric of RUN_METRICS) {
      // Time a run spent waiting for a reviewer is a person's time, not the agent's: duration is
      // measured on runs that never waited.
      const sample = metric === "duration_ms" ? completed.filter((r) => !r.intervened) : completed;
      const baseline = baselineOf(sample.map((r) => Number(r[metric])));
      if (baseline) rows.push({ agent, metric, ...baseline, refreshedAt: now });
    }
    if (finished.length >= BASELINE_MIN_SAMPLE) {
      const rate = (hit: (r: RunRow) => boolean) => finished.filter(hit).length / finished.length;
      const rates: Array<[BaselineMetric, number]> = [
        ["failure_rate", rate((r) => r.status !== "completed")],
        ["intervention_rate", rate((r) => r.intervened)],
      ];
      for (const [metric, value] of rates)
        rows.push({
          agent,
          metric,
          median: value,
          mad: 0,
          sample: finished.length,
          refreshedAt: now,
        });
    }
  }
  await db.$transaction([
    db.agentBaseline.deleteMany({}),
    db.agentBaseline.createMany({ data: rows }),
  ]);
  return { agents: new Set(rows.map((r) => r.agent)).size, rows: rows.length };
}

export async function listBaselines() {
  return db.agentBaseline.findMany({ orderBy: [{ agent: "asc" }, { metric: "asc" }] });
}
