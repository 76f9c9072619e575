import type { Slo } from "@/lib/agent-settings/settings";

// SLO attainment and error budget, pure. Over N finished runs with a target of T%, the budget
// is (1 − T/100)·N runs allowed to miss; "left" is the share of that budget not yet spent
// (negative once overspent). No finished run: nothing to judge, every figure null.

export type SloAttainment = {
  finished: number;
  good: number;
  attainment: number | null;
  allowedBad: number;
  bad: number;
  budgetLeft: number | null;
  met: boolean | null;
};

export function sloAttainment(
  slo: Pick<Slo, "targetPercent">,
  finished: number,
  good: number,
): SloAttainment {
  if (finished === 0)
    return { finished, good, attainment: null, allowedBad: 0, bad: 0, budgetLeft: null, met: null };
  const bad = finished - good;
  const allowedBad = ((100 - slo.targetPercent) / 100) * finished;
  const attainment = good / finished;
  const budgetLeft = allowedBad > 0 ? 1 - bad / allowedBad : bad === 0 ? 1 : -Infinity;
  return {
    finished,
    good,
    attainment,
    allowedBad,
    bad,
    budgetLeft,
    met: attainment * 100 >= slo.targetPercent,
  };
}
