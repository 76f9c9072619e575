// The registry: the one place the core learns which agents exist. The router's intents, schema and
// prompt, the intent → agent map, tool lookups and offline scripts are all read from it.
import type { EvalSuite } from "./evals";
import type { Agent, AnyTool, DemoService, IntentSpec } from "./types";
import { checkCaching } from "./define";

export type RegistrySpec = {
  /**
   * What the assistant desk serves, completing "You classify one customer message for …". By
   * default it is said from the agents installed ("a customer support desk for refunds, …").
   */
  desk?: string;
  /** What customers see the assistant called at /chat ("Assistant" by default). */
  assistant?: string;
  /** The intent a message goes to when the router cannot classify it (a person is told, too). */
  fallbackIntent: string;
  agents: Agent[];
};

export type RoutedIntent = IntentSpec & { agent: string };

export type Registry = {
  readonly desk: string;
  readonly assistant: string;
  readonly fallbackIntent: string;
  readonly agents: readonly Agent[];
  readonly intents: readonly RoutedIntent[];
  /** Every agent's eval suites. */
  readonly evalSuites: readonly EvalSuite[];
  /** The agent of this name, or undefined (never an inherited property such as "constructor"). */
  find(name: string): Agent | undefined;
  /** The agent of this name; throws for an unknown one (a programming error, not user input). */
  agent(name: string): Agent;
  /** The tool `toolName` of agent `agentName`, if that agent has it. */
  tool(agentName: string | null | undefined, toolName: string): AnyTool | undefined;
  /** Whether any agent's tool of this name is irreversible (for calls of tools an agent lacks). */
  irreversibleAnywhere(toolName: string): boolean;
  agentForIntent(intentId: string): string;
  /** The demo service served at /api/demo/{name}/…, if an agent ships one by that name. */
  demoService(name: string): DemoService | undefined;
};

const ID = /^[a-z][a-z0-9_-]*$/;

/** Checks the whole registry at start-up, so a bad plug-in fails loudly instead of mid-run. */
export function createRegistry(spec: RegistrySpec): Registry {
  const byName = new Map<string, Agent>();
  const intents: RoutedIntent[] = [];
  for (const agent of spec.agents) {
    if (!ID.test(agent.name))
      throw new Error(`Agent name "${agent.name}" must be lower-case letters, digits, - or _`);
    if (byName.has(agent.name)) throw new Error(`Two agents are named "${agent.name}"`);
    byName.set(agent.name, agent);
    const toolNames = new Set<string>();
    for (const tool of agent.tools) {
      if (toolNames.has(tool.name))
        throw new Error(`Agent "${agent.name}" has two tools named "${tool.name}"`);
      toolNames.add(tool.name);
      // Checked again here, for an agent object built without defineAgent.
      checkCaching(agent.name, tool);
    }
    for (const intent of agent.intents) {
      if (!/^[a-z][a-z0-9_]*$/.test(intent.id))
        throw new Error(`Intent "${intent.id}" must be snake_case`);
      if (intents.some((i) => i.id === intent.id))
        throw new Error(`Intent "${intent.id}" is declared twice`);
      intents.push({ ...intent, agent: agent.name });
    }
  }
  if (intents.length === 0) throw new Error("The registry declares no intents");
  const evalSuites = [...byName.values()].flatMap((agent) => checkSuites(agent));
  const demoServices = new Map<string, DemoService>();
  for (const agent of byName.values()) {
    if (!agent.demoService) continue;
    const name = agent.demoService.name ?? agent.name;
    if (!ID.test(name))
      throw new Error(
        `Agent "${agent.name}": demo service name "${name}" must be lower-case letters, digits, - or _`,
      );
    if (demoServices.has(name)) throw new Error(`Two demo services are named "${name}"`);
    demoServices.set(name, agent.demoService);
  }
  if (!intents.some((i) => i.id === spec.fallbackIntent))
    throw new Error(`The fallback intent "${spec.fallbackIntent}" is declared by no agent`);

  const agentForIntent = (id: string) => {
    const intent = intents.find((i) => i.id === id);
    if (!intent) throw new Error(`Unknown intent ${id}`);
    return intent.agent;
  };
  return {
    desk: spec.desk ?? deskOf([...byName.values()]),
    assistant: spec.assistant ?? "Assistant",
    fallbackIntent: spec.fallbackIntent,
    agents: [...byName.values()],
    intents,
    evalSuites,
    find: (name) => byName.get(name),
    agent(name) {
      const agent = byName.get(name);
      if (!agent) throw new Error(`Unknown agent ${name}`);
      return agent;
    },
    tool: (agentName, toolName) =>
      agentName ? byName.get(agentName)?.tools.find((t) => t.name === toolName) : undefined,
    irreversibleAnywhere: (toolName) =>
      [...byName.values()].some((a) => a.tools.some((t) => t.name === toolName && t.irreversible)),
    agentForIntent,
    demoService: (name) => demoServices.get(name),
  };
}

/** "a customer support desk for refunds, accounts and shipping", from the agents' titles. */
function deskOf(agents: Agent[]): string {
  const titles = agents.map((a) => a.title.toLowerCase());
  const list =
    titles.length > 1
      ? `${titles.slice(0, -1).join(", ")} and ${titles.at(-1)}`
      : (titles[0] ?? "");
  return `a customer support desk for ${list}`;
}

/** An agent's suites belong to it, and every case's state is one its fixtures can set up. */
function checkSuites(agent: Agent): EvalSuite[] {
  const suites = agent.evals ?? [];
  const names = new Set<string>();
  for (const suite of suites) {
    if (suite.agent !== agent.name)
      throw new Error(
        `Eval suite ${suite.agent}/${suite.name} is listed by the agent "${agent.name}"`,
      );
    if (names.has(suite.name))
      throw new Error(`Agent "${agent.name}" has two eval suites named "${suite.name}"`);
    names.add(suite.name);
    for (const c of suite.cases) {
      const hasState = Object.keys(c.state).length > 0;
      if (hasState && !agent.fixtures)
        throw new Error(
          `Eval case ${suite.agent}/${suite.name}/${c.id} has a state, but the agent defines no fixtures`,
        );
      if (!agent.fixtures) continue;
      const parsed = agent.fixtures.state.safeParse(c.state);
      if (!parsed.success) {
        const where = parsed.error.issues
          .map((i) => `state.${i.path.join(".")}: ${i.message}`)
          .join("; ");
        throw new Error(`Eval case ${suite.agent}/${suite.name}/${c.id} is invalid: ${where}`);
      }
    }
  }
  return [...suites];
}
