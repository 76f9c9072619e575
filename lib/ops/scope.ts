import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OpsWindow } from "./window";

// Which runs an /ops figure covers: a window, optionally one agent and one settings version.

export const scopeFilters = z.object({
  agent: z.string().trim().min(1).max(100, "agent is at most 100 characters").optional(),
  version: z.coerce
    .number({ error: "version must be a whole number" })
    .int("version must be a whole number")
    .min(0, "version must be 0 or more")
    .optional(),
});
export type ScopeFilters = z.infer<typeof scopeFilters>;

export type OpsScope = { window: OpsWindow } & ScopeFilters;

/** `where` conditions on runs `r` for the scope (created in the window). */
export function runConditions(scope: OpsScope, alias = "r"): Prisma.Sql {
  const r = Prisma.raw(alias);
  // Scratch runs (replay, shadow: lib/replay) are not traffic: every figure is of live runs.
  const parts = [
    Prisma.sql`${r}.mode = 'live' and ${r}.created_at >= ${scope.window.from}::timestamp(3) and ${r}.created_at < ${scope.window.to}::timestamp(3)`,
  ];
  if (scope.agent) parts.push(Prisma.sql`${r}.agent = ${scope.agent}`);
  if (scope.version !== undefined)
    parts.push(
      scope.version === 0
        ? Prisma.sql`coalesce(${r}.agent_version, 0) = 0`
        : Prisma.sql`${r}.agent_version = ${scope.version}`,
    );
  return Prisma.join(parts, " and ");
}

/**
 * `flagged`: the scope's runs, each with whether it parked a call (`parked`) and whether it
 * queued a follow-up (`followed_up`), as CTEs to open a `with` with. Both are created after
 * their run, so each flag is one hashed set of the rows created since the window opened, not an
 * index probe per run (at a million runs, 5,500 random probes were most of a day's first paint).
 * The hour's margin covers an app clock ahead of the database's.
 */
export function flaggedRuns(scope: OpsScope): Prisma.Sql {
  const since = Prisma.sql`${scope.window.from}::timestamp(3) - interval '1 hour'`;
  return Prisma.sql`
    parked_runs as materialized (select run_id from approvals where created_at >= ${since}),
    followed_runs as materialized (select run_id from follow_ups where created_at >= ${since}),
    flagged as materialized (
      select r.id, r.agent, r.agent_version, r.status, r.status_reason, r.created_at, r.finished_at, r.input_tokens, r.output_tokens, r.cost_micros,
        r.id in (select run_id from parked_runs) as parked, r.id in (select run_id from followed_runs) as followed_up
      from runs r where ${runConditions(scope)}
    )`;
}

/**
 * The scope on approvals `a` (decisions in a window), joined to no table: an approval names its
 * agent, and only a version filter asks its run (one probe). Scratch runs never park a call, so
 * every approval is of a live run.
 */
export function approvalScope(scope: OpsScope, alias = "a"): Prisma.Sql {
  const a = Prisma.raw(alias);
  const parts: Prisma.Sql[] = [];
  if (scope.agent) parts.push(Prisma.sql`${a}.agent = ${scope.agent}`);
  if (scope.version !== undefined) {
    const version =
      scope.version === 0
        ? Prisma.sql`coalesce(r.agent_version, 0) = 0`
        : Prisma.sql`r.agent_version = ${scope.version}`;
    parts.push(Prisma.sql`exists (select 1 from runs r where r.id = ${a}.run_id and ${version})`);
  }
  return parts.length ? Prisma.sql`and ${Prisma.join(parts, " and ")}` : Prisma.empty;
}

/** The same scope on a table with its own `created_at` and `run_id`, joined to runs for the agent/version. */
export function agentVersionConditions(scope: OpsScope, alias = "r"): Prisma.Sql {
  const r = Prisma.raw(alias);
  const parts: Prisma.Sql[] = [Prisma.sql`${r}.mode = 'live'`];
  if (scope.agent) parts.push(Prisma.sql`${r}.agent = ${scope.agent}`);
  if (scope.version !== undefined)
    parts.push(
      scope.version === 0
        ? Prisma.sql`coalesce(${r}.agent_version, 0) = 0`
        : Prisma.sql`${r}.agent_version = ${scope.version}`,
    );
  return Prisma.sql`and ${Prisma.join(parts, " and ")}`;
}
