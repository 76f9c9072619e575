import "server-only";
import { db } from "@/lib/db";

// The figures `GET /api/metrics` and the OTLP exporter publish, computed from the database at
// each scrape or export, so every worker and every restart reports the same totals. Labels stay
// low-cardinality: agent (a handful), status (an enum), direction, tool (a few per agent).

export const DURATION_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 900, 3_600];
export const DECISION_BUCKETS = [5, 15, 30, 60, 300, 900, 3_600, 14_400, 86_400];

export type HistogramSnapshot = {
  labels: Record<string, string>;
  buckets: number[];
  counts: number[];
  sum: number;
  count: number;
};

export type MetricsSnapshot = {
  runs: {
    agent: string;
    status: string;
    runs: number;
    inputTokens: number;
    outputTokens: number;
    costMicros: number;
  }[];
  runDuration: HistogramSnapshot[];
  approvalsPending: number;
  decisionSeconds: HistogramSnapshot;
  toolCalls: { agent: string; tool: string; status: string; calls: number }[];
};

const bucketColumns = (edges: number[], expression: string) =>
  edges
    .map((e, i) => `(count(*) filter (where ${expression} <= ${e}))::float8 as b${i}`)
    .join(", ");

export async function metricsSnapshot(): Promise<MetricsSnapshot> {
  const [runs, durations, [pending], [decisions], toolCalls] = await Promise.all([
    db.$queryRaw<MetricsSnapshot["runs"]>`
      select coalesce(agent, 'unrouted') as agent, status::text as status, count(*)::float8 as runs,
        sum(input_tokens)::float8 as "inputTokens", sum(output_tokens)::float8 as "outputTokens", sum(cost_micros)::float8 as "costMicros"
      from runs where mode = 'live' group by 1, 2 order by 1, 2`,
    db.$queryRawUnsafe<Record<string, number | string>[]>(`
      select coalesce(agent, 'unrouted') as agent, count(*)::float8 as n, coalesce(sum(extract(epoch from (finished_at - created_at))), 0)::float8 as total,
        ${bucketColumns(DURATION_BUCKETS, "extract(epoch from (finished_at - created_at))")}
      from runs where mode = 'live' and finished_at is not null group by 1 order by 1`),
    db.$queryRaw<
      { n: number }[]
    >`select count(*)::float8 as n from approvals where status = 'pending'`,
    db.$queryRawUnsafe<Record<string, number>[]>(`
      select count(*)::float8 as n, coalesce(sum(extract(epoch from (decided_at - created_at))), 0)::float8 as total,
        ${bucketColumns(DECISION_BUCKETS, "extract(epoch from (decided_at - created_at))")}
      from approvals where decided_by_id is not null and decided_at is not null`),
    db.$queryRaw<MetricsSnapshot["toolCalls"]>`
      select coalesce(r.agent, 'unrouted') as agent, c.tool, c.status::text as status, count(*)::float8 as calls
      from tool_calls c join runs r on r.id = c.run_id where r.mode = 'live' group by 1, 2, 3 order by 1, 2, 3`,
  ]);
  const histogram = (
    row: Record<string, number | string>,
    edges: number[],
    labels: Record<string, string>,
  ): HistogramSnapshot => ({
    labels,
    buckets: edges,
    counts: edges.map((_, i) => Number(row[`b${i}`] ?? 0)),
    sum: Number(row.total ?? 0),
    count: Number(row.n ?? 0),
  });
  return {
    runs,
    runDuration: durations.map((d) => histogram(d, DURATION_BUCKETS, { agent: String(d.agent) })),
    approvalsPending: pending?.n ?? 0,
    decisionSeconds: histogram(decisions ?? {}, DECISION_BUCKETS, {}),
    toolCalls,
  };
}
