import type { RunMode } from "@/lib/agent-kit";
import { scratchProcessMode } from "@/lib/scratch/process";
import type { RunSetup } from "./run-state";

/**
 * How a run meets the world: every run in the eval worker is an eval; a replay, re-run or shadow
 * run is what its session says; anything else is live.
 */
export const runModeOf = (setup: Pick<RunSetup, "scratch">): RunMode =>
  scratchProcessMode() ?? setup.scratch?.kind ?? "live";
