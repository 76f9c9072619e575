import "server-only";
import { runAnomalyBadges, type RunAnomalyBadge } from "@/lib/baselines/check";
import { traceView } from "@/lib/trace/view";
import { z } from "zod";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { RunStatus } from "@/lib/generated/prisma/enums";
import { ENDING_SQL, RUN_ENDINGS } from "@/lib/ops/endings";

// What reviewers and admins see of runs: the list (newest first) and one run's whole story.

export const RUN_STATUSES = Object.values(RunStatus);

const instant = (field: string) =>
  z
    .string()
    .refine(
      (v) => !Number.isNaN(Date.parse(v.length === 16 ? `${v}:00Z` : v)),
      `${field} must be a date and time, like 2026-12-01T09:00`,
    )
    .transform((v) => new Date(v.length === 16 ? `${v}:00Z` : v));

// The filters /ops drills down with: agent, settings version, a window (UTC), how the run ended,
// and a cost floor in dollars.
export const runsQuery = z.object({
  status: z.enum(RunStatus, { error: "Choose one of the listed statuses" }).optional(),
  agent: z.string().trim().min(1).max(100, "agent is at most 100 characters").optional(),
  version: z.coerce
    .number({ error: "version must be a whole number" })
    .int("version must be a whole number")
    .min(0, "version must be 0 or more")
    .optional(),
  from: instant("from").optional(),
  to: instant("to").optional(),
  ending: z.enum(RUN_ENDINGS, { error: "ending must be one of the listed endings" }).optional(),
  costAbove: z.coerce
    .number({ error: "costAbove must be an amount in dollars" })
    .min(0, "costAbove must be 0 or more")
    .max(1_000_000, "costAbove is at most 1000000")
    .optional(),
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
  /** Far outside its agent's baseline (lib/baselines): the badges to show. */
  anomalies: RunAnomalyBadge[];
};

function conditions(query: RunsQuery): Prisma.Sql {
  // Scratch runs (replay, shadow) are listed on their own pages, not among live runs.
  const parts: Prisma.Sql[] = [Prisma.sql`r.mode = 'live'`];
  if (query.status) parts.push(Prisma.sql`r.status = ${query.status}::"RunStatus"`);
  if (query.agent) parts.push(Prisma.sql`r.agent = ${query.agent}`);
  if (query.version !== undefined)
    parts.push(
      query.version === 0
        ? Prisma.sql`coalesce(r.agent_version, 0) = 0`
        : Prisma.sql`r.agent_version = ${query.version}`,
    );
  if (query.from) parts.push(Prisma.sql`r.created_at >= ${query.from}::timestamp(3)`);
  if (query.to) parts.push(Prisma.sql`r.created_at < ${query.to}::timestamp(3)`);
  if (query.ending) parts.push(Prisma.sql`(${Prisma.raw(ENDING_SQL)}) = ${query.ending}`);
  if (query.costAbove !== undefined)
    parts.push(Prisma.sql`r.cost_micros > ${Math.round(query.costAbove * 1_000_000)}`);
  if (query.cursor)
    parts.push(
      Prisma.sql`(r.created_at, r.id) < (select c.created_at, c.id from runs c where c.id = ${query.cursor}::uuid)`,
    );
  return Prisma.join(parts, " and ");
}

/** The filters as a query string (without the cursor), for the page links. */
export function runsFilterParams(query: RunsQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["status", "agent", "version", "ending", "costAbove"] as const)
    if (query[key] !== undefined) params.set(key, String(query[key]));
  if (query.from) params.set("from", query.from.toISOString());
  if (query.to) params.set("to", query.to.toISOString());
  return params;
}

/** Runs newest first, keyset-paginated on (created_at, id), filtered as /ops drills down. */
export async function listRuns(
  query: RunsQuery,
): Promise<{ items: RunListItem[]; nextCursor?: string }> {
  const ids = await db.$queryRaw<{ id: string }[]>`
    select r.id from runs r where ${conditions(query)} order by r.created_at desc, r.id desc limit ${query.limit + 1}`;
  const found = await db.run.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
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
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = ids.flatMap((r) => byId.get(r.id) ?? []);
  const page = rows.slice(0, query.limit);
  const anomalies = await runAnomalyBadges(page.map((r) => r.id));
  const items = page.map((r) => ({
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
    anomalies: anomalies.get(r.id) ?? [],
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
  /** `grantId`: let through by a reviewer's "remember" grant (lib/policy) instead of a decision made for it. */
  approval: { id: string; status: string; grantId: string | null } | null;
  /** For a call that waited: the arguments proposed, approved (maybe edited) and executed (once it started). */
  provenance: {
    proposed: unknown;
    approved: unknown;
    executed: unknown;
    decidedBy: string | null;
  } | null;
};

const EXECUTED_STATUSES = ["executing", "succeeded", "failed"];

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
      toolCalls: {
        orderBy: [{ turn: "asc" }, { createdAt: "asc" }],
        include: {
          approval: {
            select: {
              id: true,
              status: true,
              grantId: true,
              proposedArguments: true,
              approvedArguments: true,
              decidedBy: { select: { email: true } },
            },
          },
        },
      },
      events: { orderBy: { seq: "asc" } },
      followUp: {
        select: {
          status: true,
          reason: true,
          answeredAt: true,
          answeredBy: { select: { email: true } },
        },
      },
    },
  });
  if (!run) return null;
  const messages = await db.message.findMany({
    where: { runId: id },
    orderBy: { createdAt: "asc" },
  });
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
    approval: c.approval && {
      id: c.approval.id,
      status: c.approval.status,
      grantId: c.approval.grantId,
    },
    provenance: c.approval && {
      proposed: c.approval.proposedArguments,
      approved: c.approval.approvedArguments,
      executed: EXECUTED_STATUSES.includes(c.status) ? c.arguments : null,
      decidedBy: c.approval.decidedBy?.email ?? null,
    },
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
    anomalies: (await runAnomalyBadges([run.id])).get(run.id) ?? [],
    messages: messages.map((m) => ({
      id: m.id,
      author: m.author,
      text: m.text,
      at: m.createdAt.toISOString(),
    })),
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
