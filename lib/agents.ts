// The one door from the core to the plug-ins: lib/ reaches agents/ only through this module, and
// agents/ reaches lib/ only through the kit and the leaf helpers (db, idempotency, format), so no
// chain of imports leads from an agent back to the runtime.
import { registry } from "@/agents/registry";

export { registry };
/** Every agent's eval suites (each agent lists its own: `evals` in its definition). */
export const evalSuites = registry.evalSuites;

// An argument named like an identifier ("order_id", "subscriptionId", "record") names a record.
const ID_ARGUMENT = /(^|_)(id|number|record)$|Id$/;

/**
 * The records a call changes: the tool's own `writes` (e.g. "order:1042"), else its identifier
 * arguments. Kept on each approval when it is parked (`approvals.records`), so the pending items
 * that change the same record are found by an index, however many wait.
 */
export function recordsOf(item: {
  agent: string;
  tool: string;
  arguments: Record<string, unknown>;
}): string[] {
  const tool = registry.tool(item.agent, item.tool);
  try {
    if (tool?.writes) return tool.writes(item.arguments as never);
    if (tool?.cache) return tool.cache.records(item.arguments as never);
  } catch {
    // arguments the tool's functions cannot read: fall back to the identifier arguments
  }
  return Object.entries(item.arguments)
    .filter(
      ([key, value]) =>
        ID_ARGUMENT.test(key) && (typeof value === "string" || typeof value === "number"),
    )
    .map(([key, value]) => `${key.replace(/_?(id|number|Id)$/, "") || key}:${String(value)}`);
}
