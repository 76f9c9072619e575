import "server-only";
import { z } from "zod";
import { executor } from "@/agents";
import { db } from "@/lib/db";

export type InboxItem = {
  id: string;
  agent: string;
  tool: string;
  summary: string;
  reasons: string[];
  confidence: number | null;
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
};

export const inboxQuery = z.object({
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export function summarize(agent: string, tool: string, args: unknown): string {
  const spec = executor(agent).tools.find((t) => t.name === tool);
  try {
    return spec ? spec.summarize(args as never) : JSON.stringify(args);
  } catch {
    return JSON.stringify(args);
  }
}

/** Pending items, oldest first (the longest-waiting customer first), keyset-paginated. */
export async function listPending(query: z.infer<typeof inboxQuery>) {
  const rows = await db.approval.findMany({
    where: { status: "pending" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor && { cursor: { id: query.cursor }, skip: 1 }),
    include: { toolCall: { select: { arguments: true, confidence: true } }, run: { select: { user: { select: { email: true } } } } },
  });
  const items: InboxItem[] = rows.slice(0, query.limit).map((a) => ({
    id: a.id,
    agent: a.agent,
    tool: a.tool,
    summary: summarize(a.agent, a.tool, a.toolCall.arguments),
    reasons: a.reasons as string[],
    confidence: a.toolCall.confidence,
    requestedBy: a.run.user.email,
    createdAt: a.createdAt.toISOString(),
    expiresAt: a.expiresAt.toISOString(),
  }));
  const total = await db.approval.count({ where: { status: "pending" } });
  return { items, total, nextCursor: rows.length > query.limit ? items.at(-1)?.id : undefined };
}

/** Everything a reviewer needs to decide: the request, the exact call, why it waits, and the trace. */
export async function approvalPacket(id: string) {
  const approval = await db.approval.findUnique({
    where: { id },
    include: {
      decidedBy: { select: { email: true, name: true } },
      toolCall: true,
      run: {
        include: {
          user: { select: { email: true, name: true } },
          events: { orderBy: { seq: "asc" } },
          approvals: { where: { NOT: { id } }, include: { decidedBy: { select: { email: true } } }, orderBy: { createdAt: "asc" } },
        },
      },
    },
  });
  if (!approval) return null;
  const tool = executor(approval.agent).tools.find((t) => t.name === approval.tool);
  const { run, toolCall } = approval;
  return {
    id: approval.id,
    status: approval.status,
    agent: approval.agent,
    tool: approval.tool,
    toolDescription: tool?.description ?? "",
    inputSchema: tool ? (z.toJSONSchema(tool.input) as Record<string, unknown>) : {},
    summary: summarize(approval.agent, approval.tool, toolCall.arguments),
    reasons: approval.reasons as string[],
    proposedArguments: approval.proposedArguments as Record<string, unknown>,
    proposedHash: approval.proposedHash,
    approvedArguments: approval.approvedArguments as Record<string, unknown> | null,
    confidence: toolCall.confidence,
    rationale: toolCall.rationale,
    toolCallStatus: toolCall.status,
    result: toolCall.result,
    decidedBy: approval.decidedBy?.email ?? null,
    decidedAt: approval.decidedAt?.toISOString() ?? null,
    decisionReason: approval.decisionReason,
    createdAt: approval.createdAt.toISOString(),
    expiresAt: approval.expiresAt.toISOString(),
    run: {
      id: run.id,
      status: run.status,
      statusReason: run.statusReason,
      request: run.request,
      requestedBy: run.user.email,
      intent: run.intent,
      intentConfidence: run.intentConfidence,
      modelProvider: run.modelProvider,
      inputTokens: run.inputTokens,
      outputTokens: run.outputTokens,
      costMicros: run.costMicros,
      iterations: run.iterations,
    },
    trace: run.events.map((e) => ({
      id: e.id,
      kind: e.kind,
      name: e.name,
      data: e.data,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      latencyMs: e.latencyMs,
      costMicros: e.costMicros,
      at: e.createdAt.toISOString(),
    })),
    otherDecisions: run.approvals.map((a) => ({ id: a.id, tool: a.tool, status: a.status, decidedBy: a.decidedBy?.email ?? null })),
  };
}

export type ApprovalPacket = NonNullable<Awaited<ReturnType<typeof approvalPacket>>>;
