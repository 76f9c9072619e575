import "server-only";
import { registry } from "@/lib/agents";
import { pausedAgent, pauseState, type PauseState } from "./state";

// The kill switch's part in a run, registered on the runtime's hooks (lib/features.ts): it says
// whether a run stops and why; the runtime ends the run (lib/runtime/stops.ts), so nothing here
// imports the runtime.

export const PAUSED_REASON_PREFIX = "paused";

const reasonOf = (pause: PauseState) =>
  `${PAUSED_REASON_PREFIX}: the ${pause.agent} agent was paused by ${pause.changedBy ?? "an admin"} (${pause.reason})`;

const pausedEvent = (pause: PauseState) => ({
  name: "agent_paused",
  data: { agent: pause.agent, reason: pause.reason, by: pause.changedBy },
});

/**
 * A new run routed to a paused agent ends before the agent's first model call: the customer is
 * told plainly that the assistant is paused and nothing was done, and a follow-up is queued so a
 * person answers.
 */
export async function pausedAtRouting(run: { agent: string }) {
  const pause = await pausedAgent(run.agent);
  if (!pause) return null;
  return {
    reason: reasonOf(pause),
    event: pausedEvent(pause),
    message: `The ${registry.agent(run.agent).title.toLowerCase()} assistant is paused by our team right now, so I can't work on this request, and nothing was done. A member of our team will follow up here.`,
    followUp: `${reasonOf(pause)}: a new request arrived while the agent was paused`,
  };
}

/**
 * A run in flight whose agent was paused stops before its next model call, in a named ending
 * (terminated, reason "paused: …"); what it tells the customer is derived from its calls' recorded
 * outcomes like every other ending, and the ending queues the follow-up.
 */
export async function pausedBeforeStep(run: { agent: string; agentPaused: boolean }) {
  // The pause is read with the run and with every step's write, so a run not flagged costs nothing;
  // a flagged one reads the switch fresh (not the process's cached copy).
  if (!run.agentPaused) return null;
  const pause = await pauseState(run.agent);
  return pause.paused ? { reason: reasonOf(pause), event: pausedEvent(pause) } : null;
}
