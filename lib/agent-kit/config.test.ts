import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { agentConfig, checkAgentConfigs, configVariables } from "./config";
import { defineAgent } from "./define";
import { createRegistry } from "./registry";

const limits = {
  maxIterations: 3,
  maxTokensPerRun: 10_000,
  maxCostMicros: 0,
  deadlineSeconds: 60,
  confidenceThreshold: 0.5,
  approvalTtlSeconds: 60,
};
const billingConfig = z
  .object({
    TEST_BILLING_URL: z
      .url({ protocol: /^https?$/, message: "must be the billing API's http(s) URL" })
      .default("http://localhost:3000/billing"),
  })
  .transform((env) => ({ baseUrl: env.TEST_BILLING_URL }));
const billing = () =>
  defineAgent({
    name: "billing",
    title: "Billing",
    description: "",
    tier: "small",
    system: "",
    limits,
    tools: [],
    intents: [{ id: "billing", description: "billing" }],
    config: billingConfig,
    createDeps: (_subject, { config }) => config.baseUrl,
  });

afterEach(() => delete process.env.TEST_BILLING_URL);

describe("an agent's own configuration", () => {
  it("is parsed from the environment, an empty variable counting as unset", () => {
    process.env.TEST_BILLING_URL = "";
    expect(agentConfig(billing())).toEqual({ baseUrl: "http://localhost:3000/billing" });
    process.env.TEST_BILLING_URL = "https://billing.example.com/v2";
    expect(agentConfig(billing())).toEqual({ baseUrl: "https://billing.example.com/v2" });
  });

  it("stops the start naming the agent and the variable when a value is wrong", () => {
    process.env.TEST_BILLING_URL = "billing.example.com";
    expect(() =>
      checkAgentConfigs(createRegistry({ fallbackIntent: "billing", agents: [billing()] })),
    ).toThrow(
      "Invalid agent configuration:\n  billing: TEST_BILLING_URL: must be the billing API's http(s) URL",
    );
  });

  it("names the variables its schema reads, also under a transform", () => {
    expect(configVariables(billing())).toEqual(["TEST_BILLING_URL"]);
  });
});
