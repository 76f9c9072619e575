import { describe, expect, it } from "vitest";
import { externalAgentFormSchema, formToSettings, parsePolicies, settingsToForm } from "./form";

describe("the external agent form", () => {
  it("reads policies as `tool: policy` or `tool=policy` lines, keeping a bad line for the check to name", () => {
    expect(parsePolicies("lookup_order: auto\n\n issue_refund=deny \nbroken")).toEqual({
      lookup_order: "auto",
      issue_refund: "deny",
      broken: "",
    });
  });

  it("turns text fields into settings and back", () => {
    const form = externalAgentFormSchema.parse({
      description: "Bot",
      allowedOrigins: "https://a.example\n\nhttps://b.example",
      toolPolicies: "t: auto",
      mcpCommand: "node  server.js --stdio",
      mcpUrl: " ",
    });
    const settings = formToSettings(form);
    expect(settings).toMatchObject({
      allowedOrigins: ["https://a.example", "https://b.example"],
      toolPolicies: { t: "auto" },
      mcpCommand: ["node", "server.js", "--stdio"],
      mcpUrl: null,
      approvalTtlSeconds: 3600,
    });
    expect(settingsToForm({ ...settings, toolPolicies: { t: "auto" } })).toMatchObject({
      allowedOrigins: "https://a.example\nhttps://b.example",
      toolPolicies: "t: auto",
      mcpCommand: "node server.js --stdio",
    });
  });
});
