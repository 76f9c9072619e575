import "server-only";
import { db } from "@/lib/db";
import { agentVersionConditions, approvalScope, type OpsScope } from "./scope";

// Approval outcomes and time to decision per agent, for the items parked in a window. "Edited"
// is an approval whose approved arguments differ from the proposed ones (a new hash).

export type ApprovalOutcomes = {
  agent: string;
  parked: number;
  approved: number;
  edited: number;
  rejected: number;
  expired: number;
  pending: number;
  decisionP50Seconds: number | null;
  decisionP95Seconds: number | null;
};

export async function approvalOutcomes(scope: OpsScope): Promise<ApprovalOutcomes[]> {
  return db.$queryRaw<ApprovalOutcomes[]>`
    select a.agent, count(*)::int as parked,
      (count(*) filter (where a.status = 'approved' and a.approved_hash is not distinct from a.proposed_hash))::int as approved,
      (count(*) filter (where a.status = 'approved' and a.approved_hash is distinct from a.proposed_hash))::int as edited,
      (count(*) filter (where a.status = 'rejected'))::int as rejected,
      (count(*) filter (where a.status = 'expired'))::int as expired,
      (count(*) filter (where a.status = 'pending'))::int as pending,
      percentile_cont(0.5) within group (order by extract(epoch from (a.decided_at - a.created_at))) filter (where a.decided_by_id is not null) as "decisionP50Seconds",
      percentile_cont(0.95) within group (order by extract(epoch from (a.decided_at - a.created_at))) filter (where a.decided_by_id is not null) as "decisionP95Seconds"
    from approvals a
    where a.created_at >= ${scope.window.from}::timestamp(3) and a.created_at < ${scope.window.to}::timestamp(3) ${approvalScope(scope)}
    group by a.agent order by a.agent`;
}

export type FollowUpAges = {
  agent: string;
  open: number;
  oldestSeconds: number | null;
  medianAgeSeconds: number | null;
};

/** Follow-ups open now (not windowed: a promise stays open until someone replies) and how long they have waited. */
export async function openFollowUps(
  scope: Pick<OpsScope, "agent" | "version"> & { now?: Date },
): Promise<FollowUpAges[]> {
  const now = scope.now ?? new Date();
  const window = { from: new Date(0), to: now, kind: "custom" as const, bucketSeconds: 0 };
  return db.$queryRaw<FollowUpAges[]>`
    select coalesce(r.agent, 'unrouted') as agent, count(*)::int as open,
      max(extract(epoch from (${now}::timestamp(3) - f.created_at)))::float8 as "oldestSeconds",
      percentile_cont(0.5) within group (order by extract(epoch from (${now}::timestamp(3) - f.created_at))) as "medianAgeSeconds"
    from follow_ups f join runs r on r.id = f.run_id
    where f.status = 'open' ${agentVersionConditions({ ...scope, window })}
    group by 1 order by 1`;
}
