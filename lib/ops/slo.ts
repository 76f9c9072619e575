import "server-only";
import { effectiveSettings, type Slo } from "@/lib/agent-settings/settings";
import { registry } from "@/lib/agents";
import { db } from "@/lib/db";
import { sloAttainment, type SloAttainment } from "./error-budget";
import { flaggedRuns, type OpsScope } from "./scope";

// Each agent's SLO (its current settings) against the runs that finished in the window: a good
// run completed, within the time, under the cost and, when the SLO says so, without a human.
// The time is the agent's own: the seconds its calls waited for a reviewer (approval created
// until decided or expired) are taken off, so an agent that asks people by design is judged on
// its work, not on how long the reviewers took.

export type AgentSlo = { agent: string; slo: Slo } & SloAttainment;

export async function sloByAgent(scope: OpsScope): Promise<AgentSlo[]> {
  const agents = registry.agents
    .map((a) => a.name)
    .filter((name) => !scope.agent || name === scope.agent);
  const slos = await Promise.all(
    agents.map(async (agent) => ({ agent, slo: (await effectiveSettings(agent)).settings.slo })),
  );
  if (slos.length === 0) return [];
  const targets = JSON.stringify(
    slos.map((s) => ({
      agent: s.agent,
      seconds: s.slo.completionSeconds,
      cost: s.slo.maxCostMicros,
      unaided: s.slo.withoutIntervention,
    })),
  );
  const rows = await db.$queryRaw<{ agent: string; finished: number; good: number }[]>`
    with ${flaggedRuns({ ...scope, agent: undefined })},
    human_wait as (
      select a.run_id, sum(greatest(0, extract(epoch from (coalesce(a.decided_at, a.created_at) - a.created_at))))::float8 as seconds
      from approvals a where a.created_at >= ${scope.window.from}::timestamp(3) - interval '1 hour' group by a.run_id
    )
    select t.agent, count(r.id)::int as finished,
      (count(r.id) filter (where r.status = 'completed'
        and extract(epoch from (r.finished_at - r.created_at)) - coalesce(w.seconds, 0) <= t.seconds
        and r.cost_micros <= t.cost
        and (not t.unaided or not (r.parked or r.followed_up))))::int as good
    from jsonb_to_recordset(${targets}::jsonb) as t(agent text, seconds float8, cost int, unaided boolean)
      left join flagged r on r.agent = t.agent and r.finished_at is not null
      left join human_wait w on w.run_id = r.id
    group by t.agent`;
  return slos.map(({ agent, slo }) => {
    const row = rows.find((r) => r.agent === agent);
    return { agent, slo, ...sloAttainment(slo, row?.finished ?? 0, row?.good ?? 0) };
  });
}
