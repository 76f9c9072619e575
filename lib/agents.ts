// The one door from the core to the plug-ins: lib/ reaches agents/ only through this module, and
// agents/ reaches lib/ only through the kit and the leaf helpers (db, idempotency, format), so no
// chain of imports leads from an agent back to the runtime.
export { registry } from "@/agents/registry";
export { evalSuites } from "@/agents/eval-suites";
