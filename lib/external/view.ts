import "server-only";
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Approval, ExternalAction, ToolCall } from "@/lib/generated/prisma/client";
import { grantFor } from "./grant";
import type { AuthenticatedAgent } from "./keys";
import type { ActionStatus, ActionView, ProposeActionResponse } from "./schemas";

type Loaded = ExternalAction & {
  toolCall: ToolCall;
  approval: (Approval & { decidedBy: { email: string } | null }) | null;
};

/** An action with its tool call and approval (the run's records are the source of truth). */
export async function loadAction(
  client: Tx | typeof db,
  where: { id: string } | { runId: string },
): Promise<Loaded | null> {
  const action = await client.externalAction.findUnique({ where });
  if (!action) return null;
  const [toolCall, approval] = await Promise.all([
    client.toolCall.findUniqueOrThrow({ where: { id: action.toolCallId } }),
    client.approval.findUnique({
      where: { toolCallId: action.toolCallId },
      include: { decidedBy: { select: { email: true } } },
    }),
  ]);
  return { ...action, toolCall, approval };
}

/** The agent's own action, or 404 (another agent's action is as absent as an unknown one). */
export async function loadOwnAction(
  agent: AuthenticatedAgent,
  id: string,
  client: Tx | typeof db = db,
): Promise<Loaded> {
  const action = z.uuid().safeParse(id).success ? await loadAction(client, { id }) : null;
  if (!action || action.agentId !== agent.id)
    throw new AppError("not_found", "id: no action of this agent has this id");
  return action;
}

/** What the action's records say, in the contract's words. */
export function actionStatus(action: Loaded): ActionStatus {
  switch (action.toolCall.status) {
    case "refused":
      return "denied";
    case "pending_approval":
    case "proposed":
      return "pending";
    case "rejected":
      return "rejected";
    case "expired":
      return "expired";
    case "succeeded":
    case "failed":
      return "completed";
    // Approved by a reviewer (approved), or by policy and handed to the agent (executing).
    case "approved":
    case "executing":
      return action.grantUsedAt ? "completed" : "approved";
  }
}

function decision(
  action: Loaded,
  status: ActionStatus,
): { reason: string | null; decidedBy: string | null; decidedAt: Date | null } {
  const { approval, toolCall } = action;
  if (status === "denied")
    return {
      reason: (toolCall.error as { message?: string } | null)?.message ?? "denied by policy",
      decidedBy: "policy",
      decidedAt: toolCall.createdAt,
    };
  if (!approval)
    return status === "pending"
      ? { reason: null, decidedBy: null, decidedAt: null }
      : { reason: null, decidedBy: "policy", decidedAt: toolCall.createdAt };
  if (approval.status === "expired")
    return {
      reason: approval.decisionReason ?? "No reviewer decided in time; it must not run",
      decidedBy: "system",
      decidedAt: approval.expiresAt,
    };
  return {
    reason: approval.decisionReason,
    decidedBy: approval.decidedBy?.email ?? null,
    decidedAt: approval.decidedAt,
  };
}

export function actionView(action: Loaded, signingSecret: string): ActionView {
  const status = actionStatus(action);
  const { reason, decidedBy, decidedAt } = decision(action, status);
  const { toolCall, approval } = action;
  const resultStatus =
    toolCall.status === "succeeded" || toolCall.status === "failed" ? toolCall.status : null;
  return {
    id: action.id,
    status,
    tool: toolCall.tool,
    // The tool call holds the approved arguments once a reviewer decided (an edit replaces them).
    arguments: toolCall.arguments as Record<string, unknown>,
    arguments_hash: toolCall.argsHash,
    edited: approval?.approvedHash != null && approval.approvedHash !== approval.proposedHash,
    reason,
    reasons: (approval?.reasons as string[] | undefined) ?? [],
    decided_by: decidedBy,
    decided_at: decidedAt?.toISOString() ?? null,
    expires_at: approval?.expiresAt.toISOString() ?? null,
    grant: status === "approved" ? grantFor(signingSecret, action.id, toolCall.argsHash) : null,
    result_status: resultStatus,
  };
}

/**
 * The answer to a proposal (201): what policy decided then, so a replay of the same request gets
 * the same answer whatever happened since (GET /api/v1/actions/{id} tells the present).
 */
export function proposalResponse(action: Loaded): ProposeActionResponse {
  if (action.toolCall.status === "refused")
    return {
      id: action.id,
      status: "denied",
      reasons: [decision(action, "denied").reason ?? "denied by policy"],
    };
  if (action.approval)
    return { id: action.id, status: "pending", reasons: action.approval.reasons as string[] };
  return { id: action.id, status: "approved", reasons: [] };
}
