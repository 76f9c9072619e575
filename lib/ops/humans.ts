import "server-only";
import { db } from "@/lib/db";
import { lightPolicyCandidates, isRubberStamping, type ReviewerFigures, type ToolDecisionFigures } from "./human-flags";
import { agentVersionConditions, type OpsScope } from "./scope";

// The humans in the loop, measured over the decisions made in a window: per reviewer and per
// tool. Time on the packet runs from the decider's first open of the item (approval_opens,
// written by the inbox's claim) to their decision; a decision made without opening the packet
// (bulk, API) has no review time and is left out of the median's sample.

export async function reviewerFigures(scope: OpsScope): Promise<(ReviewerFigures & { flagged: boolean })[]> {
  const rows = await db.$queryRaw<ReviewerFigures[]>`
    select u.id as "reviewerId", u.email, count(*)::int as decisions,
      (count(*) filter (where a.status = 'approved' and a.approved_hash is not distinct from a.proposed_hash))::int as approved,
      (count(*) filter (where a.status = 'approved' and a.approved_hash is distinct from a.proposed_hash))::int as edited,
      (count(*) filter (where a.status = 'rejected'))::int as rejected,
      count(o.opened_at)::int as "timedDecisions",
      percentile_cont(0.5) within group (order by extract(epoch from (a.decided_at - o.opened_at))) as "medianReviewSeconds"
    from approvals a
      join users u on u.id = a.decided_by_id
      join runs r on r.id = a.run_id
      left join approval_opens o on o.approval_id = a.id and o.user_id = a.decided_by_id
    where a.decided_at >= ${scope.window.from}::timestamp(3) and a.decided_at < ${scope.window.to}::timestamp(3) ${agentVersionConditions(scope)}
    group by u.id, u.email order by decisions desc, u.email`;
  return rows.map((r) => ({ ...r, flagged: isRubberStamping(r) }));
}

export async function toolDecisionFigures(scope: OpsScope): Promise<ToolDecisionFigures[]> {
  return db.$queryRaw<ToolDecisionFigures[]>`
    select a.agent, a.tool, bool_or(c.irreversible) as irreversible, count(*)::int as decisions,
      (count(*) filter (where a.status = 'approved' and a.approved_hash is not distinct from a.proposed_hash))::int as "approvedUnchanged",
      (count(*) filter (where a.status = 'approved' and a.approved_hash is distinct from a.proposed_hash))::int as edited,
      (count(*) filter (where a.status = 'rejected'))::int as rejected,
      percentile_cont(0.5) within group (order by extract(epoch from (a.decided_at - o.opened_at))) as "medianReviewSeconds"
    from approvals a
      join tool_calls c on c.id = a.tool_call_id
      join runs r on r.id = a.run_id
      left join approval_opens o on o.approval_id = a.id and o.user_id = a.decided_by_id
    where a.decided_by_id is not null
      and a.decided_at >= ${scope.window.from}::timestamp(3) and a.decided_at < ${scope.window.to}::timestamp(3) ${agentVersionConditions(scope)}
    group by a.agent, a.tool order by a.agent, a.tool`;
}

export async function humansInTheLoop(scope: OpsScope) {
  const [reviewers, tools] = await Promise.all([reviewerFigures(scope), toolDecisionFigures(scope)]);
  return { reviewers, tools, lightPolicy: lightPolicyCandidates(tools) };
}
