// Failure switches for a sandbox: an eval case asks for them in its state (the agent's fixtures
// set them), and the sandbox fails as asked before doing the real thing. They live in the process
// that runs the case, which in an eval is the scratch process.
import { ToolError, type ToolErrorKind } from "./errors";

export type FaultSwitch<Operation extends string> = {
  operation: Operation;
  kind: ToolErrorKind;
  times: number;
};

/** `const faults = faultSwitches("the billing service")`; fixtures `faults.set(state.faults)`, the sandbox `faults.failIfOn("cancel")`. */
export function faultSwitches<Operation extends string>(service: string) {
  let switches: FaultSwitch<Operation>[] = [];
  return {
    set: (next: readonly FaultSwitch<Operation>[]) => void (switches = next.map((f) => ({ ...f }))),
    clear: () => void (switches = []),
    /** Throws the switched-on failure of `operation`, if any, and counts it down. */
    failIfOn(operation: Operation) {
      const fault = switches.find((f) => f.operation === operation && f.times > 0);
      if (!fault) return;
      fault.times--;
      throw new ToolError(
        fault.kind,
        `${service[0]!.toUpperCase()}${service.slice(1)} failed (${fault.kind}, switched on by the eval case)`,
      );
    },
  };
}
