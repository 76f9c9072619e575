import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { externalAgentWithSecret } from "./agents";
import type { AuthenticatedAgent } from "./keys";
import type { ActionView } from "./schemas";
import { actionView, loadOwnAction } from "./view";

/** The action as the agent sees it now (404 for an unknown id or another agent's action). */
export async function getAction(agent: AuthenticatedAgent, id: string): Promise<ActionView> {
  const [action, config] = await Promise.all([
    loadOwnAction(agent, id),
    externalAgentWithSecret(agent.id),
  ]);
  return actionView(action, config.signingSecret);
}

export type WaitOptions = {
  /** Stops waiting (the client went away); the action is answered as it stands. */
  signal?: AbortSignal;
  /** How long to wait for a decision at most; 0 answers at once. */
  timeoutMs: number;
  /** Called about once a second while it waits (the MCP gateway turns it into progress notifications). */
  onProgress?: (progress: { elapsedMs: number; timeoutMs: number }) => void | Promise<void>;
};

const POLL_MS = 500;
const PROGRESS_EVERY_MS = 1_000;

/**
 * Waits until the action is no longer pending, the timeout passes or the signal fires, and
 * answers its state then. Polls the database (one indexed read per half second per waiter):
 * decisions are rare next to the cost of a LISTEN connection per waiting request.
 */
export async function waitForDecision(
  agent: AuthenticatedAgent,
  id: string,
  options: WaitOptions,
): Promise<ActionView> {
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    const view = await getAction(agent, id);
    const elapsedMs = Date.now() - started;
    if (view.status !== "pending" || elapsedMs >= options.timeoutMs || options.signal?.aborted)
      return view;
    if (options.onProgress && Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = Date.now();
      await options.onProgress({ elapsedMs, timeoutMs: options.timeoutMs });
    }
    try {
      await sleep(Math.min(POLL_MS, options.timeoutMs - elapsedMs), undefined, {
        signal: options.signal,
      });
    } catch {
      // aborted: answer as it stands on the next turn
    }
  }
}
