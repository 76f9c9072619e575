import { databaseClientError } from "@/lib/database-errors";
import { log } from "@/lib/log";

// Errors the domain raises on purpose. Only these reach a user, by code and message;
// anything else is logged and shown as a generic failure.
export type ErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "invalid_input"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "payload_too_large"
  | "unavailable";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unavailable: 503,
};

export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: { code: ErrorCode | "internal"; message: string; details?: Record<string, unknown> };
    };

/** Maps anything thrown to an allow-listed client error; unknown errors are logged, never shown. */
export function toClientError(
  error: unknown,
): Extract<ActionResult<never>, { ok: false }>["error"] {
  if (error instanceof AppError)
    return { code: error.code, message: error.message, details: error.details };
  const fromDatabase = databaseClientError(error);
  log.error(fromDatabase ? "database refused a request" : "unhandled error", { error });
  return (
    fromDatabase ?? {
      code: "internal",
      message: "Something went wrong on our side. Nothing was changed; please try again.",
    }
  );
}

// zod's own messages name no field; messages written for people in our schemas already do.
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Expected|Unrecognized)|^[a-z]/;

type IssueLike = { path: PropertyKey[]; message: string };

export type DescribeOptions<I extends IssueLike> = {
  /** Always prefix the field's path (for API clients, who see no form labels). */
  nameFields?: boolean;
  /** A form's own sentence per issue, in the words of its labels. */
  describe?: (issue: I) => string;
};

/**
 * The one formatter of validation errors: a zod error as one readable sentence for a person or
 * a program, naming the field and what is wrong with it.
 */
export function describeIssues<I extends IssueLike>(
  error: { issues: ReadonlyArray<I> },
  options: DescribeOptions<I> = {},
): string {
  const sentence = (issue: I) => {
    if (options.describe) return options.describe(issue);
    const named =
      issue.path.length > 0 && (options.nameFields || ZOD_DEFAULT_MESSAGE.test(issue.message));
    return named ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
  };
  return error.issues.map(sentence).join("; ");
}
