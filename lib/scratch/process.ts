// A process that exists only for scratch runs: the eval worker (scripts/eval-worker.ts). Every run
// in it is a scratch run of mode "eval", whatever its row says, and the network guard holds for the
// whole process, not just for tool calls.
import { guardWholeProcess, newScope, type Endpoint } from "./network-guard";

const shared = globalThis as { countersignScratchProcess?: "eval" };

/** Marks this process as the eval worker. `allowed`: what besides the database it may reach (the model API). */
export function enterEvalProcess(allowed: Endpoint[]): void {
  shared.countersignScratchProcess = "eval";
  guardWholeProcess(newScope("the eval process", allowed));
}

/** "eval" inside the eval worker; null in the app, a worker process or a script. */
export const scratchProcessMode = (): "eval" | null => shared.countersignScratchProcess ?? null;
