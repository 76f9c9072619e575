// How a run ended, in the words /ops and the runs list filter by. Pure, with the one SQL
// expression that classifies a run (alias `r`), so the dashboard, the drill-down and the metrics
// agree on every ending.

export const LIMIT_ENDINGS = [
  "max_iterations",
  "token_budget",
  "cost_budget",
  "deadline",
  "context_budget",
  "loop",
  "stuck",
] as const;

export const RUN_ENDINGS = [
  "completed_unaided",
  "completed_after_human",
  "escalated",
  "failed",
  ...LIMIT_ENDINGS.map((l) => `terminated_${l}` as const),
  "terminated_other",
  "cancelled",
  "in_flight",
] as const;
export type RunEnding = (typeof RUN_ENDINGS)[number];

const LIMIT_LABELS: Record<(typeof LIMIT_ENDINGS)[number], string> = {
  max_iterations: "step limit",
  token_budget: "token budget",
  cost_budget: "cost budget",
  deadline: "deadline",
  context_budget: "context budget",
  loop: "loop",
  stuck: "stuck (watchdog)",
};

export const ENDING_LABELS: Record<RunEnding, string> = {
  completed_unaided: "Completed without a human",
  completed_after_human: "Completed after a human",
  escalated: "Escalated to the team",
  failed: "Failed",
  ...(Object.fromEntries(
    LIMIT_ENDINGS.map((l) => [`terminated_${l}`, `Terminated: ${LIMIT_LABELS[l]}`]),
  ) as Record<`terminated_${(typeof LIMIT_ENDINGS)[number]}`, string>),
  terminated_other: "Terminated: other",
  cancelled: "Cancelled",
  in_flight: "Still running",
};

/** Endings that count as a success for the intervention-free path. */
export const isHumanTouched = (ending: RunEnding) =>
  ending === "completed_after_human" || ending === "escalated";

const limitList = LIMIT_ENDINGS.map((l) => `'${l}'`).join(", ");

/**
 * The SQL expression that classifies run `r`. A completed run that handed off (a follow-up) was
 * escalated; one with any parked call completed after a human. Limits come from the status
 * reason's prefix (`cost_budget: Spent …`, lib/runtime/advance.ts).
 */
export const endingSql = (parked: string, followedUp: string) => `case
  when r.status = 'completed' and ${followedUp} then 'escalated'
  when r.status = 'completed' and ${parked} then 'completed_after_human'
  when r.status = 'completed' then 'completed_unaided'
  when r.status = 'failed' then 'failed'
  when r.status = 'terminated' and r.status_reason like 'escalated%' then 'escalated'
  when r.status = 'terminated' and split_part(r.status_reason, ':', 1) in (${limitList}) then 'terminated_' || split_part(r.status_reason, ':', 1)
  when r.status = 'terminated' then 'terminated_other'
  when r.status = 'cancelled' then 'cancelled'
  else 'in_flight'
end`;

/** Whether run `r` parked a call, and whether it queued a follow-up (one index probe each, for one run or a short list). */
export const PARKED_SQL = `exists (select 1 from approvals a where a.run_id = r.id)`;
export const FOLLOWED_UP_SQL = `exists (select 1 from follow_ups f where f.run_id = r.id)`;

export const ENDING_SQL = endingSql(PARKED_SQL, FOLLOWED_UP_SQL);
