import { z } from "zod";

// The admin form's text fields, turned into the settings the core validates: origins one per line,
// policies as `tool: policy` lines, the MCP command as words. Pure, so it is tested beside.

export const externalAgentFormSchema = z.object({
  description: z.string().max(2000),
  allowedOrigins: z.string().max(20_000).default(""),
  toolPolicies: z.string().max(20_000).default(""),
  confidenceThreshold: z.coerce.number({ message: "confidenceThreshold is a number" }).default(0.8),
  approvalTtlSeconds: z.coerce.number({ message: "approvalTtlSeconds is a number" }).default(3600),
  maxWaitSeconds: z.coerce.number({ message: "maxWaitSeconds is a number" }).default(600),
  rateLimitPerMinute: z.coerce.number({ message: "rateLimitPerMinute is a number" }).default(120),
  mcpUrl: z.string().max(2000).default(""),
  mcpCommand: z.string().max(5000).default(""),
});
export type ExternalAgentForm = z.input<typeof externalAgentFormSchema>;

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** `tool: policy` (or `tool=policy`) per line → { tool: policy }; a line without a separator is kept as is, for the check to name. */
export function parsePolicies(text: string): Record<string, string> {
  return Object.fromEntries(
    lines(text).map((line) => {
      const at = line.search(/[:=]/);
      return at < 0 ? [line, ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
    }),
  );
}

export function formToSettings(form: z.output<typeof externalAgentFormSchema>) {
  return {
    description: form.description,
    allowedOrigins: lines(form.allowedOrigins),
    toolPolicies: parsePolicies(form.toolPolicies),
    confidenceThreshold: form.confidenceThreshold,
    approvalTtlSeconds: form.approvalTtlSeconds,
    maxWaitSeconds: form.maxWaitSeconds,
    rateLimitPerMinute: form.rateLimitPerMinute,
    mcpUrl: form.mcpUrl.trim() || null,
    mcpCommand: form.mcpCommand.trim() ? form.mcpCommand.trim().split(/\s+/) : [],
  };
}

export function settingsToForm(s: {
  description: string;
  allowedOrigins: string[];
  toolPolicies: Record<string, string>;
  confidenceThreshold: number;
  approvalTtlSeconds: number;
  maxWaitSeconds: number;
  rateLimitPerMinute: number;
  mcpUrl: string | null;
  mcpCommand: string[];
}): Record<keyof ExternalAgentForm, string> {
  return {
    description: s.description,
    allowedOrigins: s.allowedOrigins.join("\n"),
    toolPolicies: Object.entries(s.toolPolicies)
      .map(([t, p]) => `${t}: ${p}`)
      .join("\n"),
    confidenceThreshold: String(s.confidenceThreshold),
    approvalTtlSeconds: String(s.approvalTtlSeconds),
    maxWaitSeconds: String(s.maxWaitSeconds),
    rateLimitPerMinute: String(s.rateLimitPerMinute),
    mcpUrl: s.mcpUrl ?? "",
    mcpCommand: s.mcpCommand.join(" "),
  };
}
