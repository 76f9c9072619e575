import "server-only";
import { db, type Db, type Tx } from "@/lib/db";
import type { ChatMessage } from "@/lib/model/types";

/**
 * A run's whole transcript: the start kept on the run (the pinned request, written at routing)
 * followed by its turns, each appended once to run_turns (lib/runtime/persist-step.ts). Every
 * reader goes through here: the step loop, the context budget, tests, replay.
 */
export async function readTranscript(runId: string, client: Db | Tx = db): Promise<ChatMessage[]> {
  const [run, turns] = await Promise.all([
    client.run.findUniqueOrThrow({ where: { id: runId }, select: { transcript: true } }),
    client.runTurn.findMany({
      where: { runId },
      orderBy: { seq: "asc" },
      select: { message: true },
    }),
  ]);
  return joinTranscript(
    run.transcript,
    turns.map((t) => t.message),
  );
}

export function joinTranscript(start: unknown, turns: unknown[]): ChatMessage[] {
  return [...(Array.isArray(start) ? start : []), ...turns] as ChatMessage[];
}
