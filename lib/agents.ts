// The one door from the core to the plug-ins: lib/ reaches agents/ only through this module, and
// agents/ reaches lib/ only through the kit and the leaf helpers (db, idempotency, format), so no
// chain of imports leads from an agent back to the runtime.
import { registry } from "@/agents/registry";

export { registry };
/** Every agent's eval suites (each agent lists its own: `evals` in its definition). */
export const evalSuites = registry.evalSuites;
