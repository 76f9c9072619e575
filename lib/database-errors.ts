// Database errors that reach the boundary unhandled, mapped to a client error a person can act
// on. The database's own message (the SQL, the values, the table) is never part of it.

type DatabaseErrorShape = {
  name?: unknown;
  code?: unknown;
  meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } };
};

/** The client error codes a database error maps to (a subset of lib/errors.ts's, which imports this file). */
type ErrorCode = "not_found" | "conflict" | "unavailable" | "invalid_input";

const PRISMA_CODE = /^P\d{4}$/;

/** Prisma's own error code (P2025…), when the error is Prisma's. */
export function prismaCode(error: unknown): string | undefined {
  const code = (error as DatabaseErrorShape | null)?.code;
  return typeof error === "object" &&
    error !== null &&
    typeof code === "string" &&
    PRISMA_CODE.test(code)
    ? code
    : undefined;
}

/** The PostgreSQL SQLSTATE behind an error (from Prisma's driver adapter, or pg itself). */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const shape = error as DatabaseErrorShape;
  const cause = shape.meta?.driverAdapterError?.cause;
  const state = cause?.originalCode ?? cause?.code ?? (prismaCode(error) ? undefined : shape.code);
  return typeof state === "string" && /^[0-9A-Z]{5}$/.test(state) ? state : undefined;
}

const BY_PRISMA_CODE: Record<string, { code: ErrorCode; message: string }> = {
  P2025: { code: "not_found", message: "This record does not exist (it may have been removed)." },
  P2002: {
    code: "conflict",
    message:
      "This already exists, or someone else made the same change at the same moment. Reload and try again.",
  },
  P2003: { code: "not_found", message: "Something this refers to does not exist." },
  P2034: {
    code: "conflict",
    message: "Someone else changed this at the same moment. Reload and try again.",
  },
  P1001: {
    code: "unavailable",
    message: "The database cannot be reached right now. Nothing was changed; try again shortly.",
  },
  P1008: {
    code: "unavailable",
    message: "The database took too long to answer. Nothing was changed; try again shortly.",
  },
  P2024: {
    code: "unavailable",
    message: "The database is busy. Nothing was changed; try again shortly.",
  },
};

const BY_SQL_STATE: Record<string, { code: ErrorCode; message: string }> = {
  "22021": {
    code: "invalid_input",
    message:
      "Some of the text sent contains a character that cannot be stored (such as a NUL byte); remove it and try again.",
  },
  "22P05": {
    code: "invalid_input",
    message:
      "Some of the text sent contains a character that cannot be stored (such as a NUL byte or broken Unicode); remove it and try again.",
  },
  "22P02": { code: "invalid_input", message: "Some of the input is not in the expected format." },
  "22003": { code: "invalid_input", message: "A number in the input is out of range." },
  "22001": { code: "invalid_input", message: "Some of the input is too long." },
  "40001": {
    code: "conflict",
    message: "Someone else changed this at the same moment. Reload and try again.",
  },
  "40P01": {
    code: "conflict",
    message: "Someone else changed this at the same moment. Reload and try again.",
  },
  "57014": {
    code: "unavailable",
    message: "The database took too long to answer. Nothing was changed; try again shortly.",
  },
};

/** A clear client error for a database error, or null when the error is not one we can explain. */
export function databaseClientError(error: unknown): { code: ErrorCode; message: string } | null {
  const state = sqlState(error);
  if (state && BY_SQL_STATE[state]) return BY_SQL_STATE[state];
  if (state?.startsWith("08")) return BY_PRISMA_CODE.P1001!;
  const code = prismaCode(error);
  return (code && BY_PRISMA_CODE[code]) || null;
}
