import "server-only";
import { pausedAtRouting, pausedBeforeStep } from "@/lib/agent-pause/stop";
import { resumeIfDecided } from "@/lib/approvals/decide";
import { watchForAnomalies } from "@/lib/baselines/watch";
import { expireWhenRunEnds } from "@/lib/approvals/run-ended";
import { scratchSession } from "@/lib/replay/session";
import { wireRuntime } from "@/lib/runtime/hooks";
import { shadowAfterRouting } from "@/lib/shadow/start";
import { overBudgetAtRouting } from "@/lib/spend/agent-budget";
import { throughToolCache } from "@/lib/tool-cache";

// The one wiring of the features on the runtime's hooks (lib/runtime/hooks.ts). Imported for its
// effect, once, by each process entry point that advances runs: instrumentation.ts (the web
// process), scripts/worker.ts, the eval and replay scripts, bench/, the integration tests' setup
// and the agent kit's testing module. The runtime refuses to advance a run before this ran.
wireRuntime({
  scratchSession,
  onRouted: [overBudgetAtRouting, pausedAtRouting],
  afterRouted: [shadowAfterRouting],
  beforeStep: [pausedBeforeStep],
  afterModelCall: [watchForAnomalies],
  onExecute: [throughToolCache],
  onPark: [resumeIfDecided],
  onEnd: [expireWhenRunEnds],
});
