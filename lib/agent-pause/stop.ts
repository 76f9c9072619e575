import "server-only";
import { registry } from "@/lib/agents";
import { db } from "@/lib/db";
import { openFollowUp } from "@/lib/follow-ups/open";
import { endRun } from "@/lib/runtime/endings";
import { postAssistantMessage } from "@/lib/runtime/messages";
import { transitionRun } from "@/lib/runtime/transitions";
import { recordEvent } from "@/lib/trace/events";
import { pausedAgent, pauseState, type PauseState } from "./state";

export const PAUSED_REASON_PREFIX = "paused";

const reasonOf = (pause: PauseState) =>
  `${PAUSED_REASON_PREFIX}: the ${pause.agent} agent was paused by ${pause.changedBy ?? "an admin"} (${pause.reason})`;

/**
 * A new run routed to a paused agent ends here, before the agent's first model call: the customer
 * is told plainly that the assistant is paused and nothing was done, and a follow-up is queued so
 * a person answers. Returns true when the run was ended.
 */
export async function endIfAgentPaused(
  runId: string,
  agent: string,
  beforeEnding?: () => Promise<void>,
): Promise<boolean> {
  const pause = await pausedAgent(agent);
  if (!pause) return false;
  // (routing writes the router's calls first, so the trace keeps its order)
  await beforeEnding?.();
  return db.$transaction(async (tx) => {
    const run = await tx.run.findUniqueOrThrow({
      where: { id: runId },
      select: { id: true, conversationId: true },
    });
    const moved = await transitionRun(tx, runId, "terminated", reasonOf(pause), { agent }, [
      "routing",
    ]);
    if (!moved) return false;
    await recordEvent(tx, {
      runId,
      kind: "limit",
      name: "agent_paused",
      data: { agent, reason: pause.reason, by: pause.changedBy },
    });
    await postAssistantMessage(
      tx,
      run,
      `The ${registry.agent(agent).title.toLowerCase()} assistant is paused by our team right now, so I can't work on this request, and nothing was done. A member of our team will follow up here.`,
    );
    await openFollowUp(
      tx,
      runId,
      `${reasonOf(pause)}: a new request arrived while the agent was paused`,
    );
    return true;
  });
}

/**
 * A run in flight whose agent was paused stops before its next model call, in a named ending
 * (terminated, reason "paused: …"); what it tells the customer is derived from its calls' recorded
 * outcomes like every other ending, and the ending queues the follow-up. Returns true when stopped.
 */
export async function stopIfAgentPaused(runId: string, agent: string): Promise<boolean> {
  // Called when the run's own read saw the pause: read it fresh (not the process's cached copy).
  const state = await pauseState(agent);
  const pause = state.paused ? state : null;
  if (!pause) return false;
  await db.$transaction((tx) =>
    recordEvent(tx, {
      runId,
      kind: "limit",
      name: "agent_paused",
      data: { agent, reason: pause.reason, by: pause.changedBy },
    }),
  );
  await endRun(runId, "terminated", reasonOf(pause));
  return true;
}
