import "server-only";
import { db } from "@/lib/db";
import type { ToolUseBlock } from "@/lib/model/types";
import { stableHash } from "@/lib/idempotency/hash";
import { splitInput } from "./tool-calls";

export type LoopHit = { kind: "repeated_call" | "repeated_failure" | "no_progress"; message: string };

const FAILED = ["failed", "refused"] as const;

/**
 * Before a turn's calls are proposed: the same call made `threshold` times, a failing call
 * made again, or `threshold` turns in a row where nothing succeeded, is a loop.
 */
export async function detectLoop(runId: string, blocks: ToolUseBlock[], threshold: number): Promise<LoopHit | null> {
  const history = await db.toolCall.findMany({ where: { runId }, select: { tool: true, argsHash: true, status: true, turn: true } });
  for (const block of blocks) {
    const hash = stableHash(splitInput(block.input).args);
    const same = history.filter((c) => c.tool === block.name && c.argsHash === hash);
    // A call that failed will fail again with the same arguments: retrying it is a loop sooner.
    const failures = same.filter((c) => (FAILED as readonly string[]).includes(c.status)).length;
    if (failures >= Math.max(1, threshold - 2)) {
      return { kind: "repeated_failure", message: `${block.name} retried after failing ${failures} time${failures === 1 ? "" : "s"} with the same arguments` };
    }
    if (same.length + 1 >= threshold) {
      return { kind: "repeated_call", message: `${block.name} called ${same.length + 1} times with the same arguments` };
    }
  }
  const turns = [...new Set(history.map((c) => c.turn))].sort((a, b) => b - a).slice(0, threshold);
  const stuck = turns.length >= threshold && turns.every((t) => history.filter((c) => c.turn === t).every((c) => (FAILED as readonly string[]).includes(c.status)));
  return stuck ? { kind: "no_progress", message: `No tool call succeeded in the last ${threshold} steps` } : null;
}
