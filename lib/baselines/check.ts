import "server-only";
import { db, type Tx } from "@/lib/db";
import { log } from "@/lib/log";
import { recordEvent } from "@/lib/trace/events";
import { anomalyRatio, describeAnomaly, RUN_METRICS, type RunMetric } from "./statistic";

export type Baseline = { metric: string; median: number; mad: number; sample: number };
export type RunTotals = Record<RunMetric, number> & { waited: boolean };
type Fresh = { metric: RunMetric; ratio: number; value: number; baseline: Baseline };

/** The metrics a run has newly gone past its agent's bar on (pure: the caller holds the numbers). */
export function freshAnomalies(
  totals: RunTotals,
  baselines: Baseline[] | null,
  flagged: ReadonlySet<string>,
): Fresh[] {
  if (!baselines) return [];
  const fresh: Fresh[] = [];
  for (const metric of RUN_METRICS) {
    if (flagged.has(metric)) continue;
    // A run that waited for a reviewer is slow because of the person, not the agent (see refresh.ts).
    if (metric === "duration_ms" && totals.waited) continue;
    const baseline = baselines.find((b) => b.metric === metric);
    const ratio = anomalyRatio(Number(totals[metric]), baseline);
    if (baseline && ratio !== null)
      fresh.push({ metric, ratio, value: Number(totals[metric]), baseline });
  }
  return fresh;
}

/** A run_anomalies row and an `anomaly` trace event per newly crossed metric, in one transaction. Never throws. */
export async function recordAnomalies(
  runId: string,
  agent: string,
  fresh: Fresh[],
): Promise<Array<{ metric: RunMetric; ratio: number }>> {
  if (fresh.length === 0) return [];
  try {
    await db.$transaction(async (tx) => {
      for (const f of fresh) {
        const inserted = await tx.runAnomaly.createMany({
          data: [
            {
              runId,
              agent,
              metric: f.metric,
              value: f.value,
              median: f.baseline.median,
              ratio: f.ratio,
            },
          ],
          skipDuplicates: true,
        });
        if (inserted.count === 0) continue;
        await recordEvent(tx, {
          runId,
          kind: "anomaly",
          name: `anomaly · ${describeAnomaly(f.metric, f.ratio)}`,
          data: {
            metric: f.metric,
            value: f.value,
            median: f.baseline.median,
            mad: f.baseline.mad,
            sample: f.baseline.sample,
            ratio: f.ratio,
          },
        });
      }
    });
    return fresh.map(({ metric, ratio }) => ({ metric, ratio }));
  } catch (error) {
    log.error("anomaly record failed", { run: runId, error });
    return [];
  }
}

export type RunAnomalyBadge = { metric: string; ratio: number; label: string };

/** The badges of a run: one per metric it was flagged on, the largest first. */
export async function runAnomalyBadges(
  runIds: string[],
  client: Tx | typeof db = db,
): Promise<Map<string, RunAnomalyBadge[]>> {
  if (runIds.length === 0) return new Map();
  const rows = await client.runAnomaly.findMany({
    where: { runId: { in: runIds } },
    orderBy: { ratio: "desc" },
  });
  const badges = new Map<string, RunAnomalyBadge[]>();
  for (const row of rows) {
    const list = badges.get(row.runId) ?? [];
    list.push({
      metric: row.metric,
      ratio: row.ratio,
      label: describeAnomaly(row.metric as RunMetric, row.ratio),
    });
    badges.set(row.runId, list);
  }
  return badges;
}

/**
 * With the agent's `anomalyHold` setting on, why every later call of a flagged run waits for a
 * human: the anomaly in a reviewer's words, or null when the run is not flagged.
 */
export async function anomalyHoldReason(
  tx: Tx,
  runId: string,
  hold: boolean,
): Promise<string | null> {
  if (!hold) return null;
  const worst = await tx.runAnomaly.findFirst({ where: { runId }, orderBy: { ratio: "desc" } });
  return worst ? describeAnomaly(worst.metric as RunMetric, worst.ratio) : null;
}
