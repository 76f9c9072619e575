import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OpsWindow } from "./window";

// Which runs an /ops figure covers: a window, optionally one agent and one settings version.

export const scopeFilters = z.object({
  agent: z.string().trim().min(1).max(100, "agent is at most 100 characters").optional(),
  version: z.coerce.number({ error: "version must be a whole number" }).int("version must be a whole number").min(0, "version must be 0 or more").optional(),
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
    parts.push(scope.version === 0 ? Prisma.sql`coalesce(${r}.agent_version, 0) = 0` : Prisma.sql`${r}.agent_version = ${scope.version}`);
  return Prisma.join(parts, " and ");
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
    const version = scope.version === 0 ? Prisma.sql`coalesce(r.agent_version, 0) = 0` : Prisma.sql`r.agent_version = ${scope.version}`;
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
    parts.push(scope.version === 0 ? Prisma.sql`coalesce(${r}.agent_version, 0) = 0` : Prisma.sql`${r}.agent_version = ${scope.version}`);
  return Prisma.sql`and ${Prisma.join(parts, " and ")}`;
}
