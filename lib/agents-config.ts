import { checkAgentConfigs } from "@/lib/agent-kit";
import { registry } from "@/lib/agents";

/**
 * Every installed agent's own configuration (its `config` schema over the environment), checked
 * when a process starts: the app (instrumentation.ts) and the workers. Throws one error naming
 * every bad variable, so a wrong URL stops the start instead of failing the first tool call.
 */
export function checkInstalledAgents(): void {
  checkAgentConfigs(registry);
}
