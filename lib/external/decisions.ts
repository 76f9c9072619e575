import "server-only";
import type { Tx } from "@/lib/db";
import { transitionRun } from "@/lib/runtime/transitions";
import { externalAgentWithSecret } from "./agents";
import { queueDecisionWebhook } from "./webhooks";
import { actionView, loadAction } from "./view";

/**
 * What a decision does to an external run, in the decision's transaction (called by
 * resumeIfDecided for runs of kind "external"): no engine resumes it — the agent carries the
 * call out elsewhere. Approved: the run goes back to running, waiting for the agent's report,
 * and the agent can read its grant. Rejected or expired: the run ends (expiry is not a
 * rejection: it ends as terminated, the call never ran). Either way the agent's webhook is queued.
 * Returns false: the run was not handed to the engine.
 */
export async function settleExternalDecision(tx: Tx, runId: string): Promise<false> {
  const action = await loadAction(tx, { runId });
  if (!action?.approval || action.approval.status === "pending") return false;
  const { status, decisionReason } = action.approval;
  if (status === "approved")
    await transitionRun(
      tx,
      runId,
      "running",
      "approved; the external agent carries it out and reports the result",
    );
  else if (status === "rejected")
    await transitionRun(
      tx,
      runId,
      "cancelled",
      `rejected by a reviewer${decisionReason ? `: ${decisionReason}` : ""}`,
    );
  else
    await transitionRun(
      tx,
      runId,
      "terminated",
      "expired: no reviewer decided in time; it must not run",
    );
  const agent = await externalAgentWithSecret(action.agentId, tx);
  await queueDecisionWebhook(tx, action, actionView(action, agent.signingSecret));
  return false;
}
