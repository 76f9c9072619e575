// One failure taxonomy for every tool, whatever system it calls. The runtime reads only the
// kind: it retries rate limits (after retry-after), upstream errors and timeouts within the
// tool's cap, and hands the others back to the model as a tool error.
export const TOOL_ERROR_KINDS = ["rate_limited", "not_found", "invalid_arguments", "forbidden", "upstream_error", "timeout", "conflict"] as const;
export type ToolErrorKind = (typeof TOOL_ERROR_KINDS)[number];

/** Kinds worth another attempt: the same request may well succeed in a moment. */
export const RETRYABLE_KINDS: ReadonlySet<ToolErrorKind> = new Set(["rate_limited", "upstream_error", "timeout"]);

export class ToolError extends Error {
  constructor(
    readonly kind: ToolErrorKind,
    message: string,
    /** For rate_limited: how long the system asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

export function isToolError(error: unknown): error is ToolError {
  return error instanceof ToolError;
}
