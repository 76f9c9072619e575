import "server-only";
import { db } from "@/lib/db";
import {
  lightPolicyCandidates,
  isRubberStamping,
  type ReviewerFigures,
  type ToolDecisionFigures,
} from "./human-flags";
import { Prisma } from "@/lib/generated/prisma/client";
import { approvalScope, type OpsScope } from "./scope";

// The humans in the loop, measured over the decisions made in a window: per reviewer and per
// tool. Time on the packet runs from the decider's first open of the item (approval_opens,
// written by the inbox's claim) to their decision; a decision made without opening the packet
// (bulk, API) has no review time and is left out of the median's sample.

// The decisions of the window, each with its decider's first open of the packet and whether the
// call was irreversible. Materialized, so the opens and calls are looked up by primary key per
// decision (a join let the planner hash the whole of approval_opens: 2.5x slower at a million runs).
const decided = (scope: OpsScope) => Prisma.sql`
  with d as materialized (
    select a.agent, a.tool, a.status, a.decided_by_id, a.decided_at, a.approved_hash, a.proposed_hash,
      (select o.opened_at from approval_opens o where o.approval_id = a.id and o.user_id = a.decided_by_id) as opened_at,
      (select c.irreversible from tool_calls c where c.id = a.tool_call_id) as irreversible
    from approvals a
    where a.decided_by_id is not null
      and a.decided_at >= ${scope.window.from}::timestamp(3) and a.decided_at < ${scope.window.to}::timestamp(3) ${approvalScope(scope)}
  )`;

type Row = Omit<ReviewerFigures, "reviewerId" | "email"> &
  Omit<ToolDecisionFigures, "approvedUnchanged"> & {
    reviewerId: string | null;
    email: string | null;
    approved: number;
  };

/** One scan of the window's decisions, grouped per reviewer and per (agent, tool) at once. */
async function decisionFigures(scope: OpsScope): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    ${decided(scope)},
    g as (
      select d.decided_by_id, d.agent, d.tool, bool_or(d.irreversible) as irreversible, count(*)::int as decisions,
        (count(*) filter (where d.status = 'approved' and d.approved_hash is not distinct from d.proposed_hash))::int as approved,
        (count(*) filter (where d.status = 'approved' and d.approved_hash is distinct from d.proposed_hash))::int as edited,
        (count(*) filter (where d.status = 'rejected'))::int as rejected,
        count(d.opened_at)::int as "timedDecisions",
        percentile_cont(0.5) within group (order by extract(epoch from (d.decided_at - d.opened_at))) as "medianReviewSeconds"
      from d group by grouping sets ((d.decided_by_id), (d.agent, d.tool))
    )
    select g.decided_by_id as "reviewerId", u.email, g.agent, g.tool, g.irreversible, g.decisions, g.approved, g.edited, g.rejected,
      g."timedDecisions", g."medianReviewSeconds"
    from g left join users u on u.id = g.decided_by_id`;
}

export async function humansInTheLoop(scope: OpsScope) {
  const rows = await decisionFigures(scope);
  const reviewers = rows
    .filter((r) => r.reviewerId !== null)
    .map(
      ({
        reviewerId,
        email,
        decisions,
        approved,
        edited,
        rejected,
        timedDecisions,
        medianReviewSeconds,
      }) => {
        const figures: ReviewerFigures = {
          reviewerId: reviewerId!,
          email: email!,
          decisions,
          approved,
          edited,
          rejected,
          timedDecisions,
          medianReviewSeconds,
        };
        return { ...figures, flagged: isRubberStamping(figures) };
      },
    )
    .sort((a, b) => b.decisions - a.decisions || a.email.localeCompare(b.email));
  const tools: ToolDecisionFigures[] = rows
    .filter((r) => r.reviewerId === null)
    .map(
      ({
        agent,
        tool,
        irreversible,
        decisions,
        approved,
        edited,
        rejected,
        medianReviewSeconds,
      }) => ({
        agent,
        tool,
        irreversible,
        decisions,
        approvedUnchanged: approved,
        edited,
        rejected,
        medianReviewSeconds,
      }),
    )
    .sort((a, b) => a.agent.localeCompare(b.agent) || a.tool.localeCompare(b.tool));
  return { reviewers, tools, lightPolicy: lightPolicyCandidates(tools) };
}
