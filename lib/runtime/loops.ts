import type { ToolUseBlock } from "@/lib/model/types";
import { stableHash } from "@/lib/idempotency/hash";
import { splitInput } from "./tool-calls";

export type LoopHit = {
  kind: "repeated_call" | "repeated_failure" | "no_progress";
  message: string;
};

export type LoopCall = {
  tool: string;
  argsHash: string;
  status: string;
  turn: number;
  toolUseId: string;
};

const FAILED = new Set(["failed", "refused"]);

/**
 * The run's tool-call history as counters, kept in memory while the worker holds the lease and
 * updated as calls are proposed and settled, so detecting a loop costs the same at step 60 as at
 * step 1 (no query, no scan of the history). Loaded once from the run's calls.
 */
export class LoopTracker {
  private readonly calls = new Map<string, LoopCall>();
  private readonly sameCall = new Map<string, { made: number; failed: number }>();
  /** Per turn: how many calls, and how many failed. */
  private readonly turns = new Map<number, { calls: number; failed: number }>();
  /** The turn numbers that made calls, ascending (a new turn is almost always the highest). */
  private readonly turnOrder: number[] = [];

  constructor(history: LoopCall[] = []) {
    for (const call of history) this.record(call);
  }

  /** A tool_use id this run has already recorded (a model reusing one breaks the protocol). */
  has(toolUseId: string) {
    return this.calls.has(toolUseId);
  }

  record(call: LoopCall) {
    this.calls.set(call.toolUseId, call);
    const key = `${call.tool}\u0000${call.argsHash}`;
    const same = this.sameCall.get(key) ?? { made: 0, failed: 0 };
    same.made++;
    if (FAILED.has(call.status)) same.failed++;
    this.sameCall.set(key, same);
    if (!this.turns.has(call.turn)) {
      let at = this.turnOrder.length;
      while (at > 0 && this.turnOrder[at - 1]! > call.turn) at--;
      this.turnOrder.splice(at, 0, call.turn);
    }
    const turn = this.turns.get(call.turn) ?? { calls: 0, failed: 0 };
    turn.calls++;
    if (FAILED.has(call.status)) turn.failed++;
    this.turns.set(call.turn, turn);
  }

  settle(toolUseId: string, status: string) {
    const call = this.calls.get(toolUseId);
    if (!call || call.status === status) return;
    const wasFailed = FAILED.has(call.status);
    const nowFailed = FAILED.has(status);
    call.status = status;
    if (wasFailed === nowFailed) return;
    const delta = nowFailed ? 1 : -1;
    this.sameCall.get(`${call.tool}\u0000${call.argsHash}`)!.failed += delta;
    this.turns.get(call.turn)!.failed += delta;
  }

  /**
   * Before a turn's calls are proposed: the same call made `threshold` times, a failing call
   * made again, or `threshold` turns in a row where nothing succeeded, is a loop.
   */
  detect(blocks: ToolUseBlock[], threshold: number): LoopHit | null {
    for (const block of blocks) {
      const same = this.sameCall.get(
        `${block.name}\u0000${stableHash(splitInput(block.input).args)}`,
      ) ?? { made: 0, failed: 0 };
      // A call that failed will fail again with the same arguments: retrying it is a loop sooner.
      if (same.failed >= Math.max(1, threshold - 2)) {
        return {
          kind: "repeated_failure",
          message: `${block.name} retried after failing ${same.failed} time${same.failed === 1 ? "" : "s"} with the same arguments`,
        };
      }
      if (same.made + 1 >= threshold)
        return {
          kind: "repeated_call",
          message: `${block.name} called ${same.made + 1} times with the same arguments`,
        };
    }
    const recent = this.turnOrder.slice(-threshold);
    const stuck =
      recent.length >= threshold &&
      recent.every((t) => this.turns.get(t)!.failed === this.turns.get(t)!.calls);
    return stuck
      ? { kind: "no_progress", message: `No tool call succeeded in the last ${threshold} steps` }
      : null;
  }
}
