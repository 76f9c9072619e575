import "server-only";
import { traceView } from "@/lib/trace/view";
import { z } from "zod";
import { db } from "@/lib/db";
import { RunStatus } from "@/lib/generated/prisma/enums";

// What reviewers and admins see of runs: the list (newest first) and one run's whole story.

export const RUN_STATUSES = Object.values(RunStatus);

export const runsQuery = z.object({
  status: z.enum(RunStatus, { error: "Choose one of the listed statuses" }).optional(),
  cursor: z.uuid({ error: "That page link is not valid" }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type RunsQuery = z.infer<typeof runsQuery>;

export type RunListItem = {
  id: string;
  requestedBy: string;
  agent: string | null;
  request: string;
  status: RunStatus;
  statusReason: string | null;
  agentVersion: number | null;
  iterations: number;
  tokens: number;
  costMicros: number;
  startedAt: string;
  finishedAt: string | null;
};

/** Runs newest first, keyset-paginated on (created_at, id), optionally of one status. */
export async function listRuns(query: RunsQuery): Promise<{ items: RunListItem[]; nextCursor?: string }> {
  const rows = await db.run.findMany({
    // Scratch runs (replay, shadow) are listed on their own pages, not among live runs.
    where: { mode: "live", ...(query.status && { status: query.status }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(query.cursor && { cursor: { id: query.cursor }, skip: 1 }),
    select: {
      id: true,
      agent: true,
      request: true,
      status: true,
      statusReason: true,
      agentVersion: true,
      iterations: true,
      inputTokens: true,
      outputTokens: true,
      costMicros: true,
      createdAt: true,
      finishedAt: true,
      user: { select: { email: true } },
    },
  });
  const items = rows.slice(0, query.limit).map((r) => ({
    id: r.id,
    requestedBy: r.user.email,
    agent: r.agent,
    request: r.request,
    status: r.status,
    statusReason: r.statusReason,
    agentVersion: r.agentVersion,
    iterations: r.iterations,
    tokens: r.inputTokens + r.outputTokens,
    costMicros: r.costMicros,
    startedAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  }));
  return { items, nextCursor: rows.length > query.limit ? items.at(-1)?.id : undefined };
}

export type RunToolCall = {
  id: string;
  tool: string;
  irreversible: boolean;
  turn: number;
  arguments: unknown;
  status: string;
  confidence: number | null;
  rationale: string | null;
  result: unknown;
  error: { kind: string; message: string } | null;
  attempts: number;
  approval: { id: string; status: string } | null;
};

function typedError(raw: unknown): RunToolCall["error"] {
  if (raw === null || raw === undefined) return null;
  const parsed = z.object({ kind: z.string(), message: z.string() }).safeParse(raw);
  return parsed.success ? parsed.data : { kind: "error", message: JSON.stringify(raw) };
}

/** One run for a reviewer: the request, how it ended and why, its messages, tool calls and trace. */
export async function runDetail(id: string) {
  const run = await db.run.findUnique({
    where: { id },
    include: {
      user: { select: { email: true } },
      toolCalls: { orderBy: [{ turn: "asc" }, { createdAt: "asc" }], include: { approval: { select: { id: true, status: true } } } },
      events: { orderBy: { seq: "asc" } },
      followUp: { select: { status: true, reason: true, answeredAt: true, answeredBy: { select: { email: true } } } },
    },
  });
  if (!run) return null;
  const messages = await db.message.findMany({ where: { runId: id }, orderBy: { createdAt: "asc" } });
  const trace = traceView(run.events);
  const toolCalls: RunToolCall[] = run.toolCalls.map((c) => ({
    id: c.id,
    tool: c.tool,
    irreversible: c.irreversible,
    turn: c.turn,
    arguments: c.arguments,
    status: c.status,
    confidence: c.confidence,
    rationale: c.rationale,
    result: c.result,
    error: typedError(c.error),
    attempts: c.attempts,
    approval: c.approval,
  }));
  return {
    id: run.id,
    request: run.request,
    requestedBy: run.user.email,
    agent: run.agent,
    intent: run.intent,
    intentConfidence: run.intentConfidence,
    status: run.status,
    statusReason: run.statusReason,
    agentVersion: run.agentVersion,
    modelProvider: run.modelProvider,
    iterations: run.iterations,
    inputTokens: run.inputTokens,
    outputTokens: run.outputTokens,
    costMicros: run.costMicros,
    startedAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    deadlineAt: run.deadlineAt.toISOString(),
    messages: messages.map((m) => ({ id: m.id, author: m.author, text: m.text, at: m.createdAt.toISOString() })),
    toolCalls,
    trace,
    followUp: run.followUp && {
      status: run.followUp.status,
      reason: run.followUp.reason,
      answeredBy: run.followUp.answeredBy?.email ?? null,
      answeredAt: run.followUp.answeredAt?.toISOString() ?? null,
    },
  };
}

export type RunDetail = NonNullable<Awaited<ReturnType<typeof runDetail>>>;
