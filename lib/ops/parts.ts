import "server-only";
import { approvalOutcomes, openFollowUps } from "./approvals";
import { humansInTheLoop } from "./humans";
import { runDistributions, runsByAgentVersion, runSeries } from "./runs";
import type { OpsScope } from "./scope";
import { sloByAgent } from "./slo";
import { toolFigures } from "./tools";

/** The queries of the /ops first paint by name, for the benchmark's breakdown. */
export const OPS_PARTS: Record<string, (scope: OpsScope) => Promise<unknown>> = {
  runsByAgentVersion,
  runSeries,
  runDistributions,
  approvalOutcomes,
  openFollowUps: (scope) => openFollowUps(scope),
  toolFigures,
  humansInTheLoop,
  sloByAgent,
};
