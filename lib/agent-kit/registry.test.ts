import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAgent, defineTool } from "./define";
import { createRegistry } from "./registry";
import type { IntentSpec } from "./types";

const limits = {
  maxIterations: 3,
  maxTokensPerRun: 10_000,
  maxCostMicros: 0,
  deadlineSeconds: 60,
  confidenceThreshold: 0.5,
  approvalTtlSeconds: 60,
};
const tool = (name: string, irreversible = false) =>
  defineTool({
    name,
    description: name,
    input: z.object({}),
    irreversible,
    summarize: () => name,
    describeForCustomer: () => name,
    execute: async () => null,
  });
const agent = (name: string, intents: IntentSpec[], tools = [tool(`${name}_read`)]) =>
  defineAgent({
    name,
    title: name,
    description: name,
    tier: "small",
    system: "",
    intents,
    tools,
    limits,
    createDeps: () => null,
  });

describe("createRegistry", () => {
  const registry = createRegistry({
    desk: "a test desk",
    fallbackIntent: "other",
    agents: [
      agent(
        "alpha",
        [{ id: "alpha_query", description: "alpha things" }],
        [tool("read"), tool("pay", true)],
      ),
      agent("beta", [{ id: "other", description: "anything else" }]),
    ],
  });

  it("maps each intent to the agent that declares it, and finds tools per agent", () => {
    expect(registry.intents.map((i) => [i.id, i.agent])).toEqual([
      ["alpha_query", "alpha"],
      ["other", "beta"],
    ]);
    expect(registry.agentForIntent("other")).toBe("beta");
    expect(registry.tool("alpha", "pay")?.irreversible).toBe(true);
    expect(registry.tool("beta", "pay")).toBeUndefined();
    expect(registry.tool(null, "pay")).toBeUndefined();
    expect(registry.irreversibleAnywhere("pay")).toBe(true);
    expect(registry.irreversibleAnywhere("read")).toBe(false);
  });

  it("knows no agent by an inherited property name", () => {
    expect(registry.find("constructor")).toBeUndefined();
    expect(registry.find("toString")).toBeUndefined();
    expect(() => registry.agent("constructor")).toThrow("Unknown agent constructor");
    expect(() => registry.agentForIntent("__proto__")).toThrow("Unknown intent");
  });

  it("refuses a registry that would misroute at run time", () => {
    const one = (intents: IntentSpec[]) => agent("one", intents);
    expect(() =>
      createRegistry({
        desk: "d",
        fallbackIntent: "x",
        agents: [one([{ id: "x", description: "" }]), one([{ id: "y", description: "" }])],
      }),
    ).toThrow('Two agents are named "one"');
    expect(() =>
      createRegistry({
        desk: "d",
        fallbackIntent: "x",
        agents: [one([{ id: "x", description: "" }]), agent("two", [{ id: "x", description: "" }])],
      }),
    ).toThrow('Intent "x" is declared twice');
    expect(() =>
      createRegistry({
        desk: "d",
        fallbackIntent: "nobody",
        agents: [one([{ id: "x", description: "" }])],
      }),
    ).toThrow('fallback intent "nobody"');
    expect(() =>
      createRegistry({
        desk: "d",
        fallbackIntent: "x",
        agents: [agent("One", [{ id: "x", description: "" }])],
      }),
    ).toThrow("lower-case");
    expect(() =>
      createRegistry({
        desk: "d",
        fallbackIntent: "x",
        agents: [agent("one", [{ id: "x", description: "" }], [tool("t"), tool("t")])],
      }),
    ).toThrow('two tools named "t"');
  });
});
