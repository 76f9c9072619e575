import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { approvalOutcomes, openFollowUps } from "./approvals";
import { humansInTheLoop } from "./humans";
import { runDistributions, runsByAgentVersion, runSeries } from "./runs";
import { scopeFilters, type OpsScope } from "./scope";
import { sloByAgent } from "./slo";
import { cacheHitRate, toolFigures } from "./tools";
import { resolveWindow, windowQuery } from "./window";

// Everything /ops shows on first paint, in one call: the queries run side by side, each one
// scan over the window (see the indexes in prisma/schema.prisma and `npm run bench:ops`).

export const opsQuery = z.intersection(windowQuery, scopeFilters);
export type OpsQuery = z.infer<typeof opsQuery>;

export async function opsOverview(actor: Actor, query: OpsQuery, now = new Date()) {
  // Authorised here as well as by the page: reviewers and admins only.
  if (!(SURFACE_ROLES.inbox as readonly string[]).includes(actor.role))
    throw new AppError("forbidden", "Operations figures are for reviewers and admins.");
  const scope: OpsScope = {
    window: resolveWindow(query, now),
    agent: query.agent,
    version: query.version,
  };
  const [agents, series, distributions, approvals, followUps, tools, humans, slos] =
    await Promise.all([
      runsByAgentVersion(scope),
      runSeries(scope),
      runDistributions(scope),
      approvalOutcomes(scope),
      openFollowUps({ agent: scope.agent, version: scope.version, now }),
      toolFigures(scope),
      humansInTheLoop(scope),
      sloByAgent(scope),
    ]);
  return {
    scope,
    agents,
    series,
    distributions,
    approvals,
    followUps,
    tools,
    cacheHitRate: cacheHitRate(tools),
    humans,
    slos,
  };
}

export type OpsOverview = Awaited<ReturnType<typeof opsOverview>>;
