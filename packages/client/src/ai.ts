// The Vercel AI SDK adapter: wraps a tool's `execute` so that it first asks Countersign, then
// runs with the approved (possibly edited) arguments, once, and reports the outcome with the
// grant. The gate lives in the tool itself, so it holds however the tool is called
// (generateText, streamText, an Agent) and whatever the model says.
import {
  asSchema,
  type ModelMessage,
  type Tool,
  type ToolExecutionOptions,
  type ToolSet,
} from "ai";
import type { CountersignClient, Decision } from "./client";
import { CountersignNotApprovedError } from "./errors";
import type { ProposeActionBody } from "./wire";

export type GateOptions<INPUT = unknown> = {
  client: CountersignClient;
  /** The name the reviewer sees and the admin's per-tool policy is keyed on. `gateTools` passes the tool set's key. */
  name?: string;
  /** Irreversible calls always wait for a person (default true: a tool worth gating usually is). */
  irreversible?: boolean;
  /** Extra packet fields for the reviewer: summary, subject, confidence, rationale, untrusted inputs, trace, callback. */
  describe?: (
    input: INPUT,
    options: ToolExecutionOptions<unknown>,
  ) => Partial<Omit<ProposeActionBody, "tool" | "arguments" | "irreversible">>;
  /** The proposal's Idempotency-Key (default: a fresh one per call). Derive it from your own durable ids to make a replayed step land on the same action. */
  idempotencyKey?: (input: INPUT, options: ToolExecutionOptions<unknown>) => string;
  /** Gives up waiting after this long (the action stays pending in Countersign until it expires). */
  timeoutMs?: number;
  /**
   * What the model is told when the call may not run: by default the tool throws a
   * CountersignNotApprovedError (the AI SDK hands the model a tool error with the reason);
   * return a value here to give the model a result instead.
   */
  onNotApproved?: (decision: Extract<Decision, { approved: false }>) => unknown;
};

type ExecutableTool = Tool & { execute: NonNullable<Tool["execute"]> };

/** Wraps one AI SDK tool: the returned tool has the same schema and description, and a gated execute. */
export function withCountersign<T extends Tool>(
  tool: T,
  options: GateOptions<Parameters<NonNullable<T["execute"]>>[0]> & { name: string },
): T {
  const original = tool.execute as ExecutableTool["execute"] | undefined;
  if (!original)
    throw new TypeError(
      `Tool "${options.name}" has no execute function: there is nothing for Countersign to gate`,
    );
  const schema = asSchema(tool.inputSchema);

  const execute = async (input: unknown, execution: ToolExecutionOptions<unknown>) => {
    const describe = options.describe?.(input as never, execution) ?? {};
    const decision = await options.client.requireApproval({
      context: contextFrom(execution.messages),
      ...describe,
      tool: options.name,
      arguments: asObject(input),
      irreversible: options.irreversible ?? true,
      input_schema: (await schema.jsonSchema) as Record<string, unknown>,
      idempotencyKey: options.idempotencyKey?.(input as never, execution),
      signal: execution.abortSignal,
      timeoutMs: options.timeoutMs,
    });
    if (!decision.approved) {
      if (options.onNotApproved) return options.onNotApproved(decision);
      throw new CountersignNotApprovedError(decision.id, decision.status, decision.reason);
    }
    // The reviewer's edit was checked against input_schema by Countersign; checked again here
    // against the tool's own schema, so execute never sees arguments it would not accept.
    const checked = schema.validate
      ? await schema.validate(decision.arguments)
      : { success: true as const, value: decision.arguments };
    if (!checked.success) {
      await decision.fail(
        `approved arguments do not match the tool's schema: ${checked.error.message}`,
      );
      throw checked.error;
    }
    let result: unknown;
    try {
      result = await collect(original(checked.value as never, execution));
    } catch (error) {
      await decision.fail(error);
      throw error;
    }
    await decision.complete(result);
    return result;
  };
  return { ...tool, execute } as T;
}

/**
 * Gates every tool of a tool set that has an execute function (or those named in `only`),
 * each under its key in the set.
 */
export function gateTools<TOOLS extends ToolSet>(
  tools: TOOLS,
  options: Omit<GateOptions, "name"> & { only?: (keyof TOOLS & string)[] },
): TOOLS {
  const gated: Record<string, Tool> = {};
  for (const [name, tool] of Object.entries(tools)) {
    const wanted = options.only ? options.only.includes(name) : true;
    gated[name] =
      wanted && tool.execute ? withCountersign(tool as Tool, { ...options, name }) : (tool as Tool);
  }
  return gated as TOOLS;
}

/** A streaming execute (an async iterable of partial results) reports its last value. */
async function collect(output: unknown): Promise<unknown> {
  if (output !== null && typeof output === "object" && Symbol.asyncIterator in output) {
    let last: unknown;
    for await (const value of output as AsyncIterable<unknown>) last = value;
    return last;
  }
  return output;
}

function asObject(input: unknown): Record<string, unknown> {
  return input !== null && typeof input === "object" && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : { input };
}

const MAX_MESSAGES = 100;
const MAX_TEXT = 20_000;

/** The conversation as the reviewer's packet holds it: each message's text, the last user message as the request. */
function contextFrom(messages: ModelMessage[]): ProposeActionBody["context"] {
  const plain = messages
    .filter((m) => m.role === "user" || m.role === "assistant")
    .map((m) => ({ role: m.role, content: textOf(m.content).slice(0, MAX_TEXT) }))
    .filter((m) => m.content.length > 0)
    .slice(-MAX_MESSAGES);
  const request = [...plain].reverse().find((m) => m.role === "user")?.content;
  return plain.length ? { ...(request && { request }), messages: plain } : undefined;
}

function textOf(content: ModelMessage["content"]): string {
  if (typeof content === "string") return content;
  return content.map((part) => (part.type === "text" ? part.text : "")).join("");
}
