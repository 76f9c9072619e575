// An agent's own configuration: its `config` zod schema over the environment, parsed once. The app
// checks every agent's at start (instrumentation.ts, the worker), so a bad URL stops it with the
// variable named instead of failing the first tool call.
import type { Agent } from "./types";
import type { Registry } from "./registry";

const parsed = new WeakMap<Agent, unknown>();

/** The environment as the schemas read it: an empty variable counts as unset. */
const environment = () =>
  Object.fromEntries(Object.entries(process.env).map(([k, v]) => [k, v === "" ? undefined : v]));

function problemsOf(agent: Agent): string[] | { value: unknown } {
  if (!agent.config) return { value: undefined };
  const result = agent.config.safeParse(environment());
  if (result.success) return { value: result.data };
  return result.error.issues.map(
    (i) => `  ${agent.name}: ${i.path.join(".") || "config"}: ${i.message}`,
  );
}

/** The agent's parsed configuration (undefined for an agent without a `config` schema); throws naming the variable if it is invalid. */
export function agentConfig(agent: Agent): unknown {
  if (parsed.has(agent)) return parsed.get(agent);
  const outcome = problemsOf(agent);
  if (Array.isArray(outcome))
    throw new Error(`Invalid agent configuration:\n${outcome.join("\n")}`);
  parsed.set(agent, outcome.value);
  return outcome.value;
}

/** Checks every agent's configuration at once; throws one error that lists every problem. */
export function checkAgentConfigs(registry: Registry): void {
  const problems = registry.agents.flatMap((agent) => {
    const outcome = problemsOf(agent);
    if (Array.isArray(outcome)) return outcome;
    parsed.set(agent, outcome.value);
    return [];
  });
  if (problems.length) throw new Error(`Invalid agent configuration:\n${problems.join("\n")}`);
}

type Inspectable = { shape?: Record<string, unknown>; in?: Inspectable } | undefined;

/** The environment variables an agent's `config` schema reads: the keys of its z.object (also under a .transform()). */
export function configVariables(agent: Agent): string[] {
  let schema = agent.config as Inspectable;
  while (schema && !schema.shape && schema.in) schema = schema.in;
  return schema?.shape ? Object.keys(schema.shape) : [];
}
