import type { z } from "zod";
import { AppError, describeIssues } from "@/lib/errors";

/** A zod error as one sentence naming every field (as lib/approvals/queries.ts describeFields). */
export function describeFieldIssues(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}): string {
  return describeIssues({
    issues: error.issues.map((i) => ({
      ...i,
      path: [],
      message:
        i.path.length && !i.message.startsWith(`${String(i.path[0])}`)
          ? `${i.path.join(".")}: ${i.message}`
          : i.message,
    })),
  });
}

/** Parses untrusted input with a contract schema; a bad input is a 400 whose message names each field. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("invalid_input", describeFieldIssues(parsed.error));
  return parsed.data;
}
