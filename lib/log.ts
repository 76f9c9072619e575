// One structured logger: a JSON line per call, on stdout (info) or stderr (warn, error). Log
// lines are read by more people than the data they describe, so they carry ids, never personal
// data or secrets: email addresses anywhere in a line are masked, fields named like secrets are
// dropped, and an error is reduced to its name, code and a message that holds no SQL, values or
// stack (database errors keep only their codes).

import { prismaCode, sqlState } from "@/lib/database-errors";

export type LogFields = Record<string, unknown>;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const SECRET_VALUE =
  /\b(?:cs_pat_[A-Za-z0-9_-]+|cs_agent_[A-Za-z0-9_-]+|whsec_[A-Za-z0-9+/=]+|sk-ant-[A-Za-z0-9_-]+|Bearer\s+\S+)|\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]*@/gi;
const SECRET_KEY =
  /^(?:pass(?:word|wd)?|secret|token|api[_-]?key|authorization|cookie|set-cookie|session|credentials?|private[_-]?key|connection[_-]?string|database[_-]?url|.*[_-](?:secret|password|token))$/i;
const MAX_STRING = 500;
const MAX_DEPTH = 6;

function redactString(value: string): string {
  const masked = value.replace(SECRET_VALUE, "[redacted]").replace(EMAIL, "[email]");
  return masked.length > MAX_STRING ? `${masked.slice(0, MAX_STRING - 1)}…` : masked;
}

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  clientVersion?: unknown;
  severity?: unknown;
  routine?: unknown;
};

// Prisma's messages quote the query and the values; pg's name tables, columns and values.
function isDatabaseError(error: ErrorLike): boolean {
  const name = typeof error.name === "string" ? error.name : "";
  return (
    name.startsWith("Prisma") ||
    name === "DriverAdapterError" ||
    name === "DatabaseError" ||
    error.clientVersion !== undefined ||
    error.severity !== undefined ||
    error.routine !== undefined
  );
}

/** An error as a log field: its name, its code, and a first line of message safe to show. */
export function describeError(error: unknown): {
  name: string;
  code?: string;
  sqlstate?: string;
  message?: string;
} {
  if (typeof error !== "object" || error === null)
    return { name: typeof error, message: redactString(String(error)).split("\n")[0] };
  const e = error as ErrorLike;
  const name = typeof e.name === "string" ? e.name : (error.constructor?.name ?? "Object");
  const code =
    typeof e.code === "string" || typeof e.code === "number" ? String(e.code) : undefined;
  if (isDatabaseError(e) || prismaCode(error) || sqlState(error)) {
    const state = sqlState(error);
    return { name, ...(code && { code }), ...(state && state !== code && { sqlstate: state }) };
  }
  const message =
    typeof e.message === "string" ? redactString(e.message.split("\n")[0] ?? "") : undefined;
  return { name, ...(code && { code }), ...(message && { message }) };
}

function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactString(value);
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Error) return describeError(value);
  if (depth >= MAX_DEPTH) return "[nested]";
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      SECRET_KEY.test(key) && typeof v !== "number" && typeof v !== "boolean"
        ? "[redacted]"
        : key === "error" && typeof v === "object" && v !== null
          ? describeError(v)
          : redact(v, depth + 1),
    ]),
  );
}

function write(level: "info" | "warn" | "error", msg: string, fields: LogFields = {}) {
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    msg: redactString(msg),
    ...(redact(fields) as LogFields),
  });
  if (level === "info") console.log(line);
  else console.error(line);
}

export type Logger = {
  info: (msg: string, fields?: LogFields) => void;
  warn: (msg: string, fields?: LogFields) => void;
  error: (msg: string, fields?: LogFields) => void;
  /** A logger whose every line names where it comes from (`scope`), e.g. `log.scoped("carrier")`. */
  scoped: (scope: string) => Logger;
};

function logger(base: LogFields): Logger {
  return {
    info: (msg, fields) => write("info", msg, { ...base, ...fields }),
    warn: (msg, fields) => write("warn", msg, { ...base, ...fields }),
    error: (msg, fields) => write("error", msg, { ...base, ...fields }),
    scoped: (scope) => logger({ ...base, scope }),
  };
}

export const log = logger({});
