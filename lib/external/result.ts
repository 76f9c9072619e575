import "server-only";
import { z } from "zod";
import { appendAudit } from "@/lib/audit/log";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { transitionRun, transitionToolCall } from "@/lib/runtime/transitions";
import { builder, rows } from "@/lib/store";
import { recordEvent } from "@/lib/trace/events";
import { externalAgentWithSecret } from "./agents";
import { grantMatches } from "./grant";
import type { AuthenticatedAgent } from "./keys";
import { reportResultSchema } from "./schemas";
import { parseInput } from "./validate";
import { actionStatus, loadOwnAction } from "./view";

export type ReportOutcome = {
  id: string;
  status: "completed";
  result_status: "succeeded" | "failed";
};

/**
 * Closes the loop: the agent reports what happened when it ran the approved call, with the grant.
 * The grant proves which arguments it was allowed to run (their hash is in it), so the report
 * cannot change them; a wrong grant is 403, a second report 409 (the first one is recorded by a
 * conditional update). The outcome enters the trace and the audit trail in one transaction.
 */
export async function reportResult(
  agent: AuthenticatedAgent,
  id: string,
  raw: unknown,
): Promise<ReportOutcome> {
  const input = parseInput(reportResultSchema, raw);
  const config = await externalAgentWithSecret(agent.id);
  if (!z.uuid().safeParse(id).success)
    throw new AppError("not_found", "id: no action of this agent has this id");
  return db.$transaction(async (tx) => {
    // Orders concurrent reports of one action: the second sees the first one's grantUsedAt.
    await rows(
      tx,
      builder.selectFrom("external_actions").select("id").where("id", "=", id).forUpdate(),
    );
    const action = await loadOwnAction(agent, id, tx);
    const status = actionStatus(action);
    if (status !== "approved" && status !== "completed") {
      throw new AppError(
        "conflict",
        `This action is ${status}; it was not approved, so it has no result to report.`,
        { status },
      );
    }
    if (!grantMatches(config.signingSecret, action.id, action.toolCall.argsHash, input.grant)) {
      throw new AppError(
        "forbidden",
        "grant: this is not the grant of this action's approved arguments.",
      );
    }
    const reportedAt = new Date();
    const claimed = await tx.externalAction.updateMany({
      where: { id: action.id, grantUsedAt: null },
      data: { grantUsedAt: reportedAt },
    });
    if (claimed.count === 0) {
      throw new AppError(
        "conflict",
        `This grant was already used: the result was reported at ${action.grantUsedAt?.toISOString() ?? "an earlier time"}.`,
        {
          status: "completed",
        },
      );
    }
    const call = action.toolCall;
    if (call.status === "approved") await transitionToolCall(tx, call, "executing");
    const error =
      input.error === undefined
        ? undefined
        : typeof input.error === "string"
          ? { kind: "reported", message: input.error }
          : input.error;
    await transitionToolCall(tx, call, input.status, {
      attempts: 1,
      ...(input.result !== undefined && { result: input.result as Prisma.InputJsonValue }),
      ...(error && { error: error as Prisma.InputJsonValue }),
    });
    await recordEvent(tx, {
      runId: action.runId,
      toolCallId: call.id,
      kind: "tool_call",
      name: `${call.tool} · ${input.status} (reported by ${agent.name})`,
      data: {
        reportedBy: agent.name,
        executedArguments: call.arguments as Prisma.InputJsonValue,
        argsHash: call.argsHash,
        ...(input.result !== undefined && { result: input.result as Prisma.InputJsonValue }),
        ...(error && { error: error as Prisma.InputJsonValue }),
      },
    });
    await transitionRun(
      tx,
      action.runId,
      input.status === "succeeded" ? "completed" : "failed",
      `the external agent reported: ${input.status}`,
    );
    await appendAudit(tx, {
      actorEmail: `agent:${agent.name}`,
      action: "external_result",
      approvalId: action.approval?.id,
      runId: action.runId,
      payload: {
        agent: agent.name,
        tool: call.tool,
        executed: call.arguments as Prisma.InputJsonValue,
        executedHash: call.argsHash,
        status: input.status,
        ...(input.result !== undefined && { result: input.result as Prisma.InputJsonValue }),
        ...(error && { error: error as Prisma.InputJsonValue }),
        keyId: agent.keyId,
      },
    });
    return { id: action.id, status: "completed" as const, result_status: input.status };
  });
}
