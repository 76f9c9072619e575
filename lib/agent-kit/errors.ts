// One failure taxonomy for every tool, whatever system it calls. The runtime reads only the
// kind: it retries rate limits (after retry-after), upstream errors and timeouts within the
// tool's cap, and hands the others back to the model as a tool error.
export const TOOL_ERROR_KINDS = [
  "rate_limited",
  "not_found",
  "invalid_arguments",
  "forbidden",
  "upstream_error",
  "timeout",
  "conflict",
] as const;
export type ToolErrorKind = (typeof TOOL_ERROR_KINDS)[number];

/** Kinds worth another attempt: the same request may well succeed in a moment. */
export const RETRYABLE_KINDS: ReadonlySet<ToolErrorKind> = new Set([
  "rate_limited",
  "upstream_error",
  "timeout",
]);

export type ToolErrorOptions = {
  /** For rate_limited: how long the system asked us to wait. */
  retryAfterMs?: number;
  /**
   * What the customer may read about this failure: a whole sentence in plain words ("The carrier
   * delivers only from tomorrow to 14 days from today."), never a code or the system's own text.
   * Without it the customer reads the kind's plain sentence (CUSTOMER_MESSAGES).
   */
  customerMessage?: string;
};

export class ToolError extends Error {
  /** For rate_limited: how long the system asked us to wait. */
  readonly retryAfterMs?: number;
  /** The customer-safe sentence beside the technical `message` (see ToolErrorOptions). */
  readonly customerMessage?: string;

  /** `message` is technical (logs, trace, reviewers); the third argument is retry-after in ms, or the options. */
  constructor(
    readonly kind: ToolErrorKind,
    message: string,
    options?: number | ToolErrorOptions,
  ) {
    super(message);
    this.name = "ToolError";
    const { retryAfterMs, customerMessage } =
      typeof options === "number" ? { retryAfterMs: options } : (options ?? {});
    this.retryAfterMs = retryAfterMs;
    this.customerMessage = customerMessage;
  }
}

/** The plain sentence a customer reads for a failure that brings no customer message of its own. */
export const CUSTOMER_MESSAGES: Readonly<Record<ToolErrorKind, string>> = {
  rate_limited: "The system that handles this was too busy to answer.",
  not_found: "The system that handles this could not find what it refers to.",
  invalid_arguments: "The system that handles this did not accept the request as it stood.",
  forbidden: "The system that handles this refused the request.",
  upstream_error: "The system that handles this had a problem on its side.",
  timeout: "The system that handles this did not answer in time.",
  conflict: "The request no longer matched how things stood, so it was refused.",
};

export function isToolError(error: unknown): error is ToolError {
  return error instanceof ToolError;
}
