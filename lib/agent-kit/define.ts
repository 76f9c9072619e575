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

export function defineAgent<Deps>(agent: AgentSpec<Deps>): Agent {
  return agent as unknown as Agent;
}
