import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { endingSql, RUN_ENDINGS, type RunEnding } from "./endings";
import { flaggedRuns, runConditions, type OpsScope } from "./scope";

// Per-agent, per-settings-version aggregates of the runs created in a window, and their time
// series. Small functions over one scan each, so alerts and other pages can reuse them.

export type AgentVersionRuns = {
  agent: string;
  version: number;
  runs: number;
  finished: number;
  endings: Partial<Record<RunEnding, number>>;
  durationP50Seconds: number | null;
  durationP95Seconds: number | null;
  tokensPerRun: number;
  costMicrosPerRun: number;
  costMicros: number;
  /** Share of finished runs where a human was in the loop (a parked call or a follow-up). */
  interventionRate: number | null;
};

type Row = {
  agent: string;
  version: number;
  ending: string | null;
  runs: number;
  finished: number;
  p50: number | null;
  p95: number | null;
  tokens: number;
  cost: number;
  intervened: number;
};

/** One scan: per (agent, version, ending) counts and, in the same grouping sets, the (agent, version) totals. */
export async function runsByAgentVersion(scope: OpsScope): Promise<AgentVersionRuns[]> {
  const rows = await db.$queryRaw<Row[]>`
    with ${flaggedRuns(scope)},
    w as (
      select coalesce(r.agent, 'unrouted') as agent, coalesce(r.agent_version, 0)::int as version,
        ${Prisma.raw(endingSql("r.parked", "r.followed_up"))} as ending,
        (r.parked or r.followed_up) as intervened,
        extract(epoch from (r.finished_at - r.created_at)) as seconds,
        r.input_tokens + r.output_tokens as tokens, r.cost_micros
      from flagged r
    )
    select agent, version, ending, count(*)::int as runs, count(seconds)::int as finished,
      percentile_cont(0.5) within group (order by seconds) as p50,
      percentile_cont(0.95) within group (order by seconds) as p95,
      coalesce(sum(tokens), 0)::float8 as tokens, coalesce(sum(cost_micros), 0)::float8 as cost,
      (count(*) filter (where intervened and seconds is not null))::int as intervened
    from w group by grouping sets ((agent, version, ending), (agent, version)) order by agent, version`;
  const totals = rows.filter((r) => r.ending === null);
  return totals.map((r) => ({
    agent: r.agent,
    version: r.version,
    runs: r.runs,
    finished: r.finished,
    endings: pickEndings(
      Object.fromEntries(
        rows
          .filter((e) => e.ending !== null && e.agent === r.agent && e.version === r.version)
          .map((e) => [e.ending!, e.runs]),
      ),
    ),
    durationP50Seconds: r.p50,
    durationP95Seconds: r.p95,
    tokensPerRun: r.runs ? r.tokens / r.runs : 0,
    costMicrosPerRun: r.runs ? r.cost / r.runs : 0,
    costMicros: r.cost,
    interventionRate: r.finished ? r.intervened / r.finished : null,
  }));
}

function pickEndings(raw: Record<string, number> | null): Partial<Record<RunEnding, number>> {
  const out: Partial<Record<RunEnding, number>> = {};
  for (const ending of RUN_ENDINGS) if (raw?.[ending]) out[ending] = raw[ending];
  return out;
}

export type RunSeriesPoint = {
  at: number;
  runs: number;
  failures: number;
  costMicros: number;
  tokens: number;
  durationP95Seconds: number | null;
};

/** Runs per chart bucket (UTC epoch seconds of its start), gaps filled with zeros. */
export async function runSeries(scope: OpsScope): Promise<RunSeriesPoint[]> {
  const bucket = scope.window.bucketSeconds;
  const rows = await db.$queryRaw<
    {
      at: number;
      runs: number;
      failures: number;
      cost: number;
      tokens: number;
      p95: number | null;
    }[]
  >`
    select (floor(extract(epoch from r.created_at) / ${bucket}) * ${bucket})::float8 as at,
      count(*)::int as runs,
      (count(*) filter (where r.status in ('failed', 'terminated')))::int as failures,
      sum(r.cost_micros)::float8 as cost, sum(r.input_tokens + r.output_tokens)::float8 as tokens,
      percentile_cont(0.95) within group (order by extract(epoch from (r.finished_at - r.created_at))) as p95
    from runs r where ${runConditions(scope)} group by 1 order by 1`;
  const byBucket = new Map(rows.map((r) => [r.at, r]));
  const first = Math.floor(scope.window.from.getTime() / 1000 / bucket) * bucket;
  const points: RunSeriesPoint[] = [];
  for (let at = first; at < scope.window.to.getTime() / 1000; at += bucket) {
    const r = byBucket.get(at);
    points.push({
      at,
      runs: r?.runs ?? 0,
      failures: r?.failures ?? 0,
      costMicros: r?.cost ?? 0,
      tokens: r?.tokens ?? 0,
      durationP95Seconds: r?.p95 ?? null,
    });
  }
  return points;
}

/** Upper edges of the distribution bars: run duration in seconds, cost per run in dollars. */
export const DURATION_EDGES = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600] as const;
export const COST_EDGES_MICROS = [
  1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
] as const;

export type Distribution = { edges: readonly number[]; counts: number[] };

/** How finished runs spread over duration and cost: bar i counts values in [edge[i-1], edge[i]); the last bar is everything above. */
export async function runDistributions(
  scope: OpsScope,
): Promise<{ duration: Distribution; cost: Distribution }> {
  const durationEdges = Prisma.raw(`array[${DURATION_EDGES.join(",")}]::float8[]`);
  const costEdges = Prisma.raw(`array[${COST_EDGES_MICROS.join(",")}]::float8[]`);
  const rows = await db.$queryRaw<{ which: string; bar: number; n: number }[]>`
    with w as (select extract(epoch from (r.finished_at - r.created_at))::float8 as seconds, r.cost_micros::float8 as cost
               from runs r where ${runConditions(scope)} and r.finished_at is not null)
    select 'duration' as which, width_bucket(seconds, ${durationEdges}) as bar, count(*)::int as n from w group by 2
    union all
    select 'cost', width_bucket(cost, ${costEdges}), count(*)::int from w group by 2`;
  const fill = (which: string, edges: readonly number[]) => {
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const r of rows) if (r.which === which) counts[r.bar] = r.n;
    return { edges, counts };
  };
  return { duration: fill("duration", DURATION_EDGES), cost: fill("cost", COST_EDGES_MICROS) };
}
