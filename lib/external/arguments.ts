import "server-only";
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { describeFieldIssues } from "./validate";

/**
 * The zod schema of an external tool's arguments, from the JSON Schema the agent sent with its
 * proposal, or null when it sent none (then any JSON object is accepted, and an edit is checked
 * only for being one). A schema zod cannot read is the proposer's mistake: a 400 naming it.
 */
export function argumentsSchemaFrom(inputSchema: unknown): z.ZodType | null {
  if (inputSchema === null || inputSchema === undefined) return null;
  try {
    return z.fromJSONSchema(inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw new AppError(
      "invalid_input",
      `input_schema: not a JSON Schema Countersign can check arguments with (${error instanceof Error ? error.message : "unreadable"})`,
    );
  }
}

/** Checks arguments against the schema; every problem is named `<prefix>.<field>`. */
export function checkArguments(
  schema: z.ZodType | null,
  args: unknown,
  prefix = "arguments",
): Record<string, unknown> {
  if (!schema) return args as Record<string, unknown>;
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    throw new AppError(
      "invalid_input",
      describeFieldIssues({
        issues: parsed.error.issues.map((i) => ({ ...i, path: [prefix, ...i.path] })),
      }),
    );
  }
  // The arguments are kept exactly as sent: what is hashed and approved is what the agent proposed.
  return args as Record<string, unknown>;
}

/**
 * For the decision path: the edit schema of an external run's call, or undefined when the run is
 * not external (the registry's tool schema applies then).
 */
export async function externalEditSchema(
  client: Tx | typeof db,
  runId: string,
): Promise<{ schema: z.ZodType | null } | undefined> {
  const action = await client.externalAction.findUnique({
    where: { runId },
    select: { inputSchema: true },
  });
  if (!action) return undefined;
  return { schema: argumentsSchemaFrom(action.inputSchema) ?? z.record(z.string(), z.unknown()) };
}
