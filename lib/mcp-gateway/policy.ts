// When a tool of an upstream MCP server may run through the gateway without a person. Pure and
// deterministic: the admin's per-tool policy first, then the tool's own MCP annotations, read the
// way the MCP specification defines their defaults (a tool is assumed destructive unless it says
// otherwise) and failing closed: only a tool that declares itself read-only runs on its own.

export type ToolPolicy = "auto" | "require_approval" | "deny";

export type ToolAnnotations = {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
  title?: string;
};

export function isToolPolicy(value: unknown): value is ToolPolicy {
  return value === "auto" || value === "require_approval" || value === "deny";
}

/** The policy of one upstream tool: the admin's choice when there is one, else what its annotations earn. */
export function gatewayPolicy(
  annotations: ToolAnnotations | undefined,
  adminPolicy: unknown,
): ToolPolicy {
  if (isToolPolicy(adminPolicy)) return adminPolicy;
  return annotations?.readOnlyHint === true ? "auto" : "require_approval";
}

/**
 * Whether the call is irreversible for Countersign's own policy (which then always waits): per
 * the MCP specification, `destructiveHint` defaults to true for a tool that is not read-only, so
 * a tool with no annotations counts as destructive.
 */
export function isDestructive(annotations: ToolAnnotations | undefined): boolean {
  if (annotations?.readOnlyHint === true) return false;
  return annotations?.destructiveHint !== false;
}

const LABEL: Record<ToolPolicy, string> = {
  auto: "",
  require_approval: "[Countersign: each call waits for a human's approval] ",
  deny: "[Countersign: calls are refused by policy] ",
};

/** The description the gateway lists: the upstream's, prefixed so the model knows a call may wait or be refused. */
export function describeWithPolicy(description: string | undefined, policy: ToolPolicy): string {
  return `${LABEL[policy]}${description ?? ""}`.trim();
}
