import "server-only";
import { freshAnomalies, recordAnomalies, type Baseline } from "./check";

/** What the watch reads and keeps of the runtime's RunState (named here, not imported: the
 *  runtime calls the watch through its afterModelCall hook, lib/features.ts wires it). */
type WatchedRun = {
  run: { id: string; createdAt: Date };
  agent: { name: string };
  usage: { iterations: number; inputTokens: number; outputTokens: number; costMicros: number };
  watch: {
    baselines: Baseline[] | null;
    flagged: Set<string>;
    waited: boolean;
    toolCalls: number;
    worst: { metric: string; ratio: number } | null;
  };
};

/**
 * Baselines, on the runtime's afterModelCall hook (live runs only): after a model call, before its calls are planned, the run's totals
 * with that call's usage against its agent's usual runs. From what the worker holds, so a step
 * pays no round trip; a write (the anomaly and its trace event) only when a metric newly crosses
 * its bar, and then policy holds the step's calls when the agent's anomalyHold setting asks.
 */
export async function watchForAnomalies(
  state: WatchedRun,
  usage: { iterations: number; inputTokens: number; outputTokens: number; costMicros: number },
  /** Writes what the step left unsaved (the runtime's flushUnsaved). */
  flush: () => Promise<void>,
) {
  const { watch } = state;
  const totals = {
    tokens:
      state.usage.inputTokens + state.usage.outputTokens + usage.inputTokens + usage.outputTokens,
    cost_micros: state.usage.costMicros + usage.costMicros,
    duration_ms: Date.now() - state.run.createdAt.getTime(),
    iterations: state.usage.iterations + usage.iterations,
    tool_calls: watch.toolCalls,
    waited: watch.waited,
  };
  const fresh = freshAnomalies(totals, watch.baselines, watch.flagged);
  if (fresh.length === 0) return;
  // The anomaly's trace event comes after the calls that ran before it.
  await flush();
  for (const f of await recordAnomalies(state.run.id, state.agent.name, fresh)) {
    watch.flagged.add(f.metric);
    if (!watch.worst || f.ratio > watch.worst.ratio) watch.worst = f;
  }
}
