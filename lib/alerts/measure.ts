import "server-only";
import { db } from "@/lib/db";
import { median } from "@/lib/baselines/statistic";
import type { AlertRule } from "./rule-schema";

/** The window's value of a rule's metric: in its unit, or (baseline mode) as a multiple of the usual. */
export type Measurement = {
  value: number | null;
  sample: number;
  breaching: boolean;
  summary: string;
};

type WindowRun = {
  agent: string | null;
  status: string;
  finished: boolean;
  tokens: number;
  cost_micros: number;
  duration_ms: number | null;
  intervened: boolean;
  usual: Record<string, number> | null;
};

const PER_RUN = {
  run_tokens: "tokens",
  run_cost: "cost_micros",
  run_duration: "duration_ms",
} as const;
const RATES = { failure_rate: "failure_rate", intervention_rate: "intervention_rate" } as const;

/**
 * Measures a rule's metric over the window ending at `now` (runs created in it). Baseline mode
 * compares each run with its own agent's baseline, so a rule over all agents is fair to each:
 * per-run metrics take the median of the runs' ratios to their agent's median; rates divide the
 * observed rate by the rate the runs' agents usually have. A rule over all agents counts runs that
 * never got an agent too (a model failing at routing fails the run before it has one).
 */
export async function measure(rule: AlertRule, now: Date): Promise<Measurement> {
  const since = new Date(now.getTime() - rule.windowMinutes * 60_000);
  if (rule.metric === "approval_queue_age") return queueAge(rule, now);
  const runs = await db.$queryRaw<WindowRun[]>`
    select r.agent, r.status::text as status, r.finished_at is not null as finished,
      (r.input_tokens + r.output_tokens)::float8 as tokens, r.cost_micros::float8 as cost_micros,
      (extract(epoch from (r.finished_at - r.created_at)) * 1000)::float8 as duration_ms,
      exists (select 1 from approvals a where a.run_id = r.id) as intervened,
      (select json_object_agg(b.metric, b.median) from agent_baselines b where b.agent = r.agent) as usual
    from runs r
    where r.mode = 'live' and r.created_at > ${since} and r.created_at <= ${now}
      and (${rule.agent}::text is null or r.agent = ${rule.agent}::text)`;

  if (rule.metric === "anomalous_runs") {
    const [row] = await db.$queryRaw<[{ n: number }]>`
      select count(distinct run_id)::int as n from run_anomalies
      where created_at > ${since} and created_at <= ${now} and (${rule.agent}::text is null or agent = ${rule.agent}::text)`;
    return verdict(
      rule,
      row?.n ?? 0,
      Math.max(runs.length, row?.n ?? 0),
      `${row?.n ?? 0} anomalous runs in ${rule.windowMinutes} min`,
    );
  }

  const baselineMode = rule.condition.mode === "baseline";
  if (rule.metric in PER_RUN) {
    const key = PER_RUN[rule.metric as keyof typeof PER_RUN];
    const measured = runs.filter((r) =>
      key === "duration_ms" ? r.finished && r.duration_ms !== null : true,
    );
    const toUnit = (v: number) =>
      key === "cost_micros" ? v / 1e6 : key === "duration_ms" ? v / 1000 : v;
    if (!baselineMode) {
      const value = median(measured.map((r) => toUnit(Number(r[key]))));
      return verdict(
        rule,
        value,
        measured.length,
        `median ${round(value)} over ${measured.length} runs`,
      );
    }
    const ratios = measured.flatMap((r) => {
      const usual = r.usual?.[key];
      return usual && usual > 0 ? [Number(r[key]) / usual] : [];
    });
    const value = median(ratios);
    return verdict(
      rule,
      value,
      ratios.length,
      `median ${round(value)}× the agents' usual ${key === "tokens" ? "tokens" : key === "cost_micros" ? "cost" : "duration"} over ${ratios.length} runs`,
    );
  }

  const rateKey = RATES[rule.metric as keyof typeof RATES];
  const pool =
    rateKey === "failure_rate" ? runs.filter((r) => r.finished && r.status !== "cancelled") : runs;
  const hit = (r: WindowRun) =>
    rateKey === "failure_rate" ? r.status === "failed" || r.status === "terminated" : r.intervened;
  const observed = pool.length ? pool.filter(hit).length / pool.length : Number.NaN;
  if (!baselineMode)
    return verdict(rule, observed, pool.length, `${pct(observed)} of ${pool.length} runs`);
  const expected = pool.flatMap((r) =>
    r.usual?.[rateKey] !== undefined ? [r.usual[rateKey]!] : [],
  );
  const usual = expected.length ? expected.reduce((a, b) => a + b, 0) / expected.length : 0;
  const value = usual > 0 ? observed / usual : Number.NaN;
  return verdict(
    rule,
    value,
    expected.length,
    `${pct(observed)} of ${pool.length} runs, ${round(value)}× the usual ${pct(usual)}`,
  );
}

async function queueAge(rule: AlertRule, now: Date): Promise<Measurement> {
  const [row] = await db.$queryRaw<[{ n: number; oldest: Date | null }]>`
    select count(*)::int as n, min(created_at) as oldest from approvals
    where status = 'pending' and created_at <= ${now} and (${rule.agent}::text is null or agent = ${rule.agent}::text)`;
  const value = row?.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0;
  return verdict(
    rule,
    value,
    row?.n ?? 0,
    `${row?.n ?? 0} pending; the oldest has waited ${Math.round(value / 60)} min`,
  );
}

function verdict(rule: AlertRule, value: number, sample: number, summary: string): Measurement {
  const known = Number.isFinite(value);
  const enough = sample >= rule.minSample;
  const bar = rule.condition.mode === "threshold" ? rule.condition.above : rule.condition.factor;
  const breaching =
    known && enough && (rule.condition.mode === "threshold" ? value > bar : value >= bar);
  return {
    value: known ? value : null,
    sample,
    breaching,
    summary: enough
      ? summary
      : `${sample} in the window, under the minimum sample of ${rule.minSample}`,
  };
}

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : "—");
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n * 1000) / 10}%` : "—");
