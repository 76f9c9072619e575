import "server-only";
import { loadRunState, type RunContext } from "./run-state";

// The step loop works on RunState (run-state.ts), which is a RunContext plus what the steps keep
// in memory. This module keeps the older entry point for code that only needs the context.
export type { RunContext };

export async function loadRunContext(runId: string): Promise<RunContext | null> {
  return loadRunState(runId, "");
}
