import { z } from "zod";
import { AppError } from "@/lib/errors";

// PostgreSQL cannot store two things a JavaScript string can hold: a NUL byte (refused in
// `text`, SQLSTATE 22021) and a lone UTF-16 surrogate (refused in `jsonb`, and mangled to U+FFFD
// in `text`). Both are refused at the boundary, never stripped: what a reviewer approves is
// bound to the hash of the exact arguments, so silently changing an input would change what was
// decided. No person types either character; a clear refusal is what they would expect.

const NUL = "\u0000";
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Deeper than any form or tool argument; a deeper structure is refused before it is walked further. */
export const MAX_INPUT_DEPTH = 32;

export const NUL_MESSAGE =
  "contains a NUL character (U+0000), which cannot be stored; remove it and try again";
export const SURROGATE_MESSAGE =
  "contains broken Unicode (an unpaired UTF-16 surrogate), which cannot be stored; remove it and try again";
const DEPTH_MESSAGE = `is nested more than ${MAX_INPUT_DEPTH} levels deep`;

/** What is wrong with a string that cannot be stored, or null when it is fine. */
export function textProblem(value: string): string | null {
  if (value.includes(NUL)) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(value)) return SURROGATE_MESSAGE;
  return null;
}

/**
 * A string schema that refuses what the database cannot store, with a message that names no
 * field (zod's path is prefixed by `describeIssues`). Chain `.trim().min().max()` after it.
 */
export function safeText() {
  return z.string().superRefine((value, ctx) => {
    const problem = textProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, abort: true });
  });
}

export type UnsafeText = { path: string; problem: string };

/**
 * The first string (value or object key) anywhere in an untrusted input that cannot be stored.
 * Iterative, so a hostile, deeply nested input cannot overflow the stack.
 */
export function findUnsafeText(input: unknown, rootName = "input"): UnsafeText | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: input, path: rootName, depth: 0 },
  ];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return { path, problem };
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return { path, problem: DEPTH_MESSAGE };
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (const [key, child] of entries) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { path, problem: `has a field name that ${keyProblem}` };
      stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}

/** One sentence for a person: which field, and what is wrong with it. */
export function describeUnsafeText({ path, problem }: UnsafeText): string {
  // The root name ("input", "body", "query") only helps when nothing more precise is known.
  const field = path.includes(".") ? path.slice(path.indexOf(".") + 1) : path;
  const shown = field.replace(/[^\x20-\x7E]/g, "?");
  return `${shown.length > 80 ? `${shown.slice(0, 79)}…` : shown}: ${problem}`;
}

/** Refuses, as invalid input, anything holding a string the database cannot store. */
export function assertStorable(input: unknown, rootName = "input"): void {
  const unsafe = findUnsafeText(input, rootName);
  if (unsafe) throw new AppError("invalid_input", describeUnsafeText(unsafe));
}
