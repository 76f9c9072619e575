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
  | { ok: false; error: { code: ErrorCode | "internal"; message: string; details?: Record<string, unknown> } };

/** Maps anything thrown to an allow-listed client error; unknown errors are logged, never shown. */
export function toClientError(error: unknown): Extract<ActionResult<never>, { ok: false }>["error"] {
  if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
  const fromDatabase = databaseClientError(error);
  log.error(fromDatabase ? "database refused a request" : "unhandled error", { error });
  return fromDatabase ?? { code: "internal", message: "Something went wrong on our side. Nothing was changed; please try again." };
}

// zod's own messages name no field; messages written for people in our schemas already do.
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Expected|Unrecognized)|^[a-z]/;

/** A zod error as one readable sentence for a person: the field and what is wrong with it. */
export function describeIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .map((issue) => (issue.path.length && ZOD_DEFAULT_MESSAGE.test(issue.message) ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
