import "server-only";
import {
  CUSTOMER_MESSAGES,
  HANDOFF_TOOL,
  RECALL_TOOL,
  TOOL_ERROR_KINDS,
  type AnyTool,
  type ToolErrorKind,
} from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import { log } from "@/lib/log";
import { customerTextProblems } from "./check";

// A call in the customer's words, from what its tool declares (ToolSpec.describeForCustomer). A
// plug-in's sentence is checked before a customer reads it: one that names a tool, shows raw data
// or throws is replaced by a plain fallback (and logged for the agent's author).

/** When a tool's own words cannot be used: true, if vague. */
export const FALLBACK_DESCRIPTION = "an action on your behalf";

/** Every internal name a customer must not read: all agents' tools and the runtime's own. */
export const INTERNAL_NAMES: readonly string[] = [
  ...new Set([
    ...registry.agents.flatMap((a) => a.tools.map((t) => t.name)),
    HANDOFF_TOOL,
    RECALL_TOOL,
    "classify_intent",
  ]),
];

type Describable = Pick<
  AnyTool,
  "name" | "input" | "describeForCustomer" | "describeEditForCustomer"
>;

function clean(tool: Describable, what: string, text: unknown): string | null {
  if (typeof text !== "string" || !text.trim()) return null;
  const problems = customerTextProblems(text, { toolNames: INTERNAL_NAMES });
  if (problems.length === 0) return text.trim();
  log.warn("a tool's customer description was not shown", { tool: tool.name, what, problems });
  return null;
}

/** The arguments as the tool's schema reads them (defaults, coercions), or null when they do not parse. */
function parsed(tool: Describable, args: unknown): never | null {
  const result = tool.input.safeParse(args);
  return result.success ? (result.data as never) : null;
}

/** "a refund of €89.90 for order 1042": never the tool's name or its raw arguments. */
export function describeCall(tool: Describable | undefined, args: unknown): string {
  if (!tool) return FALLBACK_DESCRIPTION;
  const input = parsed(tool, args);
  if (input === null) return FALLBACK_DESCRIPTION;
  try {
    return (
      clean(tool, "describeForCustomer", tool.describeForCustomer(input)) ?? FALLBACK_DESCRIPTION
    );
  } catch (error) {
    log.warn("a tool's describeForCustomer threw", { tool: tool.name, error });
    return FALLBACK_DESCRIPTION;
  }
}

/**
 * What a reviewer's edit changed, as what "they" did ("set the refund to €40.00 instead of
 * €89.90"); null when the change is nothing the customer gets. A tool without its own words says
 * the call before and after.
 */
export function describeEdit(
  tool: Describable | undefined,
  before: unknown,
  after: unknown,
): string | null {
  const fallback = `changed it to ${describeCall(tool, after)} instead of ${describeCall(tool, before)}`;
  if (!tool?.describeEditForCustomer) return fallback;
  const [from, to] = [parsed(tool, before), parsed(tool, after)];
  if (from === null || to === null) return fallback;
  try {
    const said = tool.describeEditForCustomer(from, to);
    return said === null ? null : (clean(tool, "describeEditForCustomer", said) ?? fallback);
  } catch (error) {
    log.warn("a tool's describeEditForCustomer threw", { tool: tool.name, error });
    return fallback;
  }
}

/** The customer-safe sentence of a recorded tool error: its own customerMessage, or its kind's. */
export function failureForCustomer(error: unknown): string {
  const { kind, customerMessage } = (error ?? {}) as { kind?: unknown; customerMessage?: unknown };
  if (
    typeof customerMessage === "string" &&
    customerTextProblems(customerMessage, { toolNames: INTERNAL_NAMES }).length === 0
  )
    return customerMessage;
  return (TOOL_ERROR_KINDS as readonly string[]).includes(String(kind))
    ? CUSTOMER_MESSAGES[kind as ToolErrorKind]
    : "Something went wrong on our side while doing it.";
}

/** The tool a call names, for the customer's words: the agent's, or (with `runtime`) one of the runtime's. */
export function toolFor(
  agent: string | null | undefined,
  toolName: string,
  runtime: readonly Describable[] = [],
): Describable | undefined {
  return registry.tool(agent, toolName) ?? runtime.find((t) => t.name === toolName);
}
