import type { EvalCase } from "@/lib/agent-kit";
import type { AgentSettings } from "@/lib/agent-settings/settings";

// What the main process hands to the scratch process: the version under test, every other
// agent's active settings (the router may send a case elsewhere), and the cases to run.
export type EvalPlan = {
  agent: string;
  version: number;
  settings: AgentSettings;
  others: Array<{ agent: string; version: number; settings: AgentSettings }>;
  cases: Array<{ key: string; case: EvalCase }>;
};

export type EvalPlanResult = {
  modelProvider: string;
  observations: Record<string, import("./observation").Observation>;
};
