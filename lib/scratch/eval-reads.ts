// Recorded cases of agents without fixtures carry what the agent's reads returned before the
// decision (lib/evals/record.ts); the case runner hands them here for its run, and the scratch
// executor serves them to the same calls instead of the sandbox.
import type { RecordedRead } from "@/lib/agent-kit";
import { stableHash } from "@/lib/idempotency/hash";

const byRun = new Map<string, Map<string, unknown>>();
const keyOf = (tool: string, args: unknown) => `${tool}:${stableHash(args)}`;

export function serveReads(runId: string, reads: readonly RecordedRead[]): void {
  if (reads.length)
    byRun.set(runId, new Map(reads.map((r) => [keyOf(r.tool, r.arguments), r.result])));
}

export function forgetReads(runId: string): void {
  byRun.delete(runId);
}

/** The recorded result of this read in this eval run, if the case carries one. */
export function servedRead(runId: string, tool: string, args: unknown): { result: unknown } | null {
  const reads = byRun.get(runId);
  const key = keyOf(tool, args);
  return reads?.has(key) ? { result: reads.get(key) } : null;
}
