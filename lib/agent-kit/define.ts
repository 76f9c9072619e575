import type { Agent, AgentSpec, ToolSpec } from "./types";

/**
 * A typed tool factory for one agent's dependencies: `const tool = toolsFor<Carrier>()`, then
 * `tool({ ..., execute: (input, { deps }) => deps.track(input) })` checks both input and deps.
 */
export function toolsFor<Deps>() {
  return <Input>(tool: ToolSpec<Input, Deps>) => tool as unknown as ToolSpec<never, Deps>;
}

/** A tool that needs no dependencies (its execute ignores ctx.deps). */
export const defineTool = toolsFor<unknown>();

export function defineAgent<Deps, Config = undefined>(agent: AgentSpec<Deps, Config>): Agent {
  for (const tool of agent.tools) {
    checkCaching(agent.name, tool);
    if (tool.readOnly && (tool.irreversible || tool.writes))
      throw new Error(`Tool "${tool.name}" of agent "${agent.name}" cannot be readOnly and write`);
  }
  // A cached tool is a read: only reads may be served from a cache.
  const tools = agent.tools.map((tool) =>
    tool.cache && tool.readOnly === undefined ? { ...tool, readOnly: true } : tool,
  );
  return { ...agent, tools } as unknown as Agent;
}

/** A cached result is served without running the tool: only ever for a read. */
export function checkCaching(
  agentName: string,
  tool: Pick<ToolSpec<never, never>, "name" | "irreversible" | "cache" | "writes">,
) {
  if (!tool.cache) return;
  if (tool.irreversible)
    throw new Error(
      `Tool "${tool.name}" of agent "${agentName}" is irreversible and cannot be cached`,
    );
  if (tool.writes)
    throw new Error(
      `Tool "${tool.name}" of agent "${agentName}" declares writes and cannot be cached`,
    );
  if (!(
    Number.isInteger(tool.cache.ttlSeconds) &&
    tool.cache.ttlSeconds > 0 &&
    tool.cache.ttlSeconds <= 86_400
  )) {
    throw new Error(
      `Tool "${tool.name}" of agent "${agentName}": cache.ttlSeconds must be a whole number of seconds from 1 to 86400`,
    );
  }
}
