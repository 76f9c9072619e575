import "server-only";
import { db } from "@/lib/db";
import { openFollowUp } from "@/lib/follow-ups/open";
import { recordEvent } from "@/lib/trace/events";
import { endRun } from "./endings";
import type { RoutingStop, RunStop } from "./hooks";
import { postAssistantMessage } from "./messages";
import { transitionRun } from "./transitions";

// How a run ends on a feature's verdict (lib/runtime/hooks.ts): the features say why, the runtime
// writes the ending, the same way for each of them.

/**
 * routing → terminated before the agent's first model call, in one transaction: the trace says
 * why, the customer is told, and a follow-up is queued when the verdict asks for a person.
 * Returns true when the run was ended (false: it had already left routing).
 */
export async function endAtRouting(
  runId: string,
  agent: string,
  stop: RoutingStop,
  beforeEnding: () => Promise<void>,
): Promise<boolean> {
  // (routing writes the router's calls first, so the trace keeps its order)
  await beforeEnding();
  return db.$transaction(async (tx) => {
    const run = await tx.run.findUniqueOrThrow({
      where: { id: runId },
      select: { id: true, conversationId: true },
    });
    const moved = await transitionRun(
      tx,
      runId,
      "terminated",
      stop.reason,
      { agent, ...(stop.agentVersion !== undefined && { agentVersion: stop.agentVersion }) },
      ["routing"],
    );
    if (!moved) return false;
    await recordEvent(tx, { runId, kind: "limit", name: stop.event.name, data: stop.event.data });
    await postAssistantMessage(tx, run, stop.message);
    if (stop.followUp) await openFollowUp(tx, runId, stop.followUp);
    return true;
  });
}

/**
 * A run in flight stops before its next model call, in a named ending (terminated, with the
 * verdict's reason); what it tells the customer is derived from its calls' recorded outcomes like
 * every other ending.
 */
export async function stopBeforeStep(runId: string, stop: RunStop) {
  await db.$transaction((tx) =>
    recordEvent(tx, { runId, kind: "limit", name: stop.event.name, data: stop.event.data }),
  );
  await endRun(runId, "terminated", stop.reason);
}
