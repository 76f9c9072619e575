import "server-only";
import { runAnomalyBadges } from "@/lib/baselines/check";
import { traceView } from "@/lib/trace/view";
import { untrustedInputs } from "./untrusted-inputs";
import { z } from "zod";
import { safeText } from "@/lib/validation/text";
import { registry } from "@/lib/agents";
import { db } from "@/lib/db";
import { AppError, describeIssues } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ApprovalStatus, ToolCallStatus } from "@/lib/generated/prisma/enums";
import { activeClaim, claimSelect, type ClaimView } from "./claims";
import { REASON_CODES } from "@/lib/policy/call-policy";
import { dueState, queueCondition, visibleQueues, type DueState } from "./queues";
import { votersFor } from "./four-eyes";
import { externalEditSchema } from "@/lib/external/arguments";
import { externalPacketParts } from "@/lib/external/packet";

export type InboxItem = {
  id: string;
  status: ApprovalStatus;
  agent: string;
  tool: string;
  summary: string;
  arguments: Record<string, unknown>;
  reasons: string[];
  confidence: number | null;
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
  proposedHash: string;
  decidedBy: string | null;
  decidedAt: string | null;
  claim: ClaimView | null;
  /** The team queue it is in (null: everyone's), when it is due, and whether that is near (highlighted) or past. */
  team: string | null;
  dueAt: string | null;
  dueState: DueState | null;
  escalatedAt: string | null;
};

/** `total` counts matching items up to COUNT_CAP; past it, `totalCapped` says "at least". */
export type InboxPage = {
  items: InboxItem[];
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
};

// Counting every match of a filter that no index covers (e.g. a reason) would cost a scan of the
// whole queue on every poll; past this many, "10,000+" is all a person needs.
const COUNT_CAP = 10_000;

export const INBOX_STATUSES = ["pending", "decided", "approved", "rejected", "expired"] as const;
export const INBOX_SORTS = ["oldest", "expiring"] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

// Each sort walks one index, (status, created_at, id) or (status, expires_at, id), from a keyset
// cursor: the page after a cursor costs the same at item 50 as at item 99,950 (no OFFSET).
const SORT_COLUMN: Record<InboxSort, Prisma.Sql> = {
  oldest: Prisma.raw("a.created_at"),
  expiring: Prisma.raw("a.expires_at"),
};

type Cursor = { sort: InboxSort; at: string; id: string };
const cursorShape = z.object({ sort: z.enum(INBOX_SORTS), at: z.iso.datetime(), id: z.uuid() });

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

const cursorParam = z.string().transform((raw, ctx) => {
  try {
    return cursorShape.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    ctx.addIssue({
      code: "custom",
      message: "The page cursor is not valid; start again from the first page",
    });
    return z.NEVER;
  }
});

// Empty form fields and query parameters mean "no filter".
const filterText = safeText()
  .trim()
  .max(80, "Filters are at most 80 characters")
  .optional()
  .transform((v) => v || undefined);

export const inboxQuery = z
  .object({
    status: z
      .enum(INBOX_STATUSES, { message: `status is one of ${INBOX_STATUSES.join(", ")}` })
      .default("pending"),
    agent: filterText,
    tool: filterText,
    reason: z.preprocess(
      (v) => v || undefined,
      z.enum(REASON_CODES, { message: `reason is one of ${REASON_CODES.join(", ")}` }).optional(),
    ),
    sort: z
      .enum(INBOX_SORTS, { message: `sort is one of ${INBOX_SORTS.join(", ")}` })
      .default("oldest"),
    cursor: z
      .string()
      .optional()
      .transform((v) => v || undefined)
      .pipe(cursorParam.optional()),
    limit: z.coerce
      .number({ message: "limit is a number" })
      .int()
      .min(1)
      .max(100, "limit is at most 100")
      .default(50),
  })
  .refine((q) => !q.cursor || q.cursor.sort === q.sort, {
    message: "The page cursor belongs to another sort order; start again from the first page",
    path: ["cursor"],
  });

export type InboxQuery = z.infer<typeof inboxQuery>;
export type InboxFilters = Omit<z.input<typeof inboxQuery>, "cursor" | "limit">;

/** Filters from a URL's query string; a bad one is a 400 naming it. */
export function parseInboxSearch(params: URLSearchParams): InboxQuery {
  const parsed = inboxQuery.safeParse(Object.fromEntries(params));
  if (!parsed.success)
    throw new AppError("invalid_input", describeIssues(parsed.error, { nameFields: true }));
  return parsed.data;
}

/** The agents and tools a reviewer can filter on. */
export function inboxFilterOptions() {
  return registry.agents.map((agent) => ({
    name: agent.name,
    title: agent.title,
    tools: agent.tools.map((t) => t.name),
  }));
}

export function summarize(agent: string, tool: string, args: unknown): string {
  const spec = registry.tool(agent, tool);
  try {
    return spec ? spec.summarize(args as never) : JSON.stringify(args);
  } catch {
    return JSON.stringify(args);
  }
}

function statusCondition(status: InboxQuery["status"]): Prisma.Sql {
  if (status === "decided")
    return Prisma.sql`a.status in ('approved'::"ApprovalStatus", 'rejected'::"ApprovalStatus")`;
  return Prisma.sql`a.status = ${status}::"ApprovalStatus"`;
}

function filterConditions(query: InboxQuery): Prisma.Sql[] {
  const conditions = [statusCondition(query.status)];
  if (query.agent) conditions.push(Prisma.sql`a.agent = ${query.agent}`);
  if (query.tool) conditions.push(Prisma.sql`a.tool = ${query.tool}`);
  if (query.reason) conditions.push(Prisma.sql`a.reason_codes @> array[${query.reason}]::text[]`);
  return conditions;
}

const listInclude = {
  toolCall: { select: { confidence: true } },
  run: {
    select: {
      user: { select: { email: true } },
      externalAction: { select: { summary: true, subject: true } },
    },
  },
  decidedBy: { select: { email: true } },
  claimedBy: claimSelect.claimedBy,
} satisfies Prisma.ApprovalInclude;

/** One page of the queue, keyset-paginated in the chosen order, with the total matching the filters. */
export async function listPending(
  query: InboxQuery,
  viewerId: string | null = null,
): Promise<InboxPage> {
  const column = SORT_COLUMN[query.sort];
  // A reviewer sees their teams' queues (and those handed to them) plus items with no team.
  const queues = viewerId ? queueCondition(await visibleQueues(viewerId)) : null;
  const conditions = [...filterConditions(query), ...(queues ? [queues] : [])];
  const where = Prisma.join(conditions, " and ");
  const pageWhere = query.cursor
    ? Prisma.join(
        [
          ...conditions,
          Prisma.sql`(${column}, a.id) > (${query.cursor.at}::timestamp(3), ${query.cursor.id}::uuid)`,
        ],
        " and ",
      )
    : where;
  const [keys, [{ total }]] = await Promise.all([
    db.$queryRaw<
      { id: string }[]
    >`select a.id from approvals a where ${pageWhere} order by ${column}, a.id limit ${query.limit + 1}`,
    db.$queryRaw<
      [{ total: number }]
    >`select count(*)::int as total from (select 1 from approvals a where ${where} limit ${COUNT_CAP + 1}) as matching`,
  ]);
  const ids = keys.slice(0, query.limit).map((k) => k.id);
  const rows = await db.approval.findMany({ where: { id: { in: ids } }, include: listInclude });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const now = new Date();
  const items = ids.flatMap((id) => {
    const a = byId.get(id);
    if (!a) return []; // deleted between the two reads
    const args = a.proposedArguments as Record<string, unknown>;
    return [
      {
        id: a.id,
        status: a.status,
        agent: a.agent,
        tool: a.tool,
        summary: a.run.externalAction?.summary ?? summarize(a.agent, a.tool, args),
        arguments: args,
        reasons: a.reasons as string[],
        confidence: a.toolCall.confidence,
        requestedBy:
          (a.run.externalAction?.subject as { email?: string } | null)?.email ?? a.run.user.email,
        createdAt: a.createdAt.toISOString(),
        expiresAt: a.expiresAt.toISOString(),
        proposedHash: a.proposedHash,
        decidedBy: a.decidedBy?.email ?? null,
        decidedAt: a.decidedAt?.toISOString() ?? null,
        claim: activeClaim(a, viewerId, now),
        team: a.team,
        dueAt: a.dueAt?.toISOString() ?? null,
        dueState: dueState(a, now),
        escalatedAt: a.escalatedAt?.toISOString() ?? null,
      } satisfies InboxItem,
    ];
  });
  const last = keys.length > query.limit ? byId.get(ids.at(-1)!) : undefined;
  const nextCursor = last
    ? encodeCursor({
        sort: query.sort,
        at: (query.sort === "oldest" ? last.createdAt : last.expiresAt).toISOString(),
        id: last.id,
      })
    : null;
  return { items, total: Math.min(total, COUNT_CAP), totalCapped: total > COUNT_CAP, nextCursor };
}

/**
 * The navigation badge: pending items in the queues the viewer works (their teams', handed-over and
 * unassigned; all for admins), counted up to just past COUNT_CAP (the badge shows "9999+" there).
 */
export async function pendingCount(viewerId: string): Promise<number> {
  const queues = queueCondition(await visibleQueues(viewerId));
  const [row] = await db.$queryRaw<[{ total: number }]>`
    select count(*)::int as total from (
      select 1 from approvals a where a.status = 'pending' ${queues ? Prisma.sql`and ${queues}` : Prisma.empty} limit ${COUNT_CAP + 1}
    ) as pending`;
  return row.total;
}

const EXECUTED: readonly ToolCallStatus[] = ["executing", "succeeded", "failed"];

/** Everything a reviewer needs to decide: the request, the exact call, why it waits, and the trace. */
export async function approvalPacket(id: string, viewerId: string | null = null) {
  const approval = await db.approval.findUnique({
    where: { id },
    include: {
      decidedBy: { select: { email: true, name: true } },
      claimedBy: claimSelect.claimedBy,
      toolCall: true,
      run: {
        include: {
          user: { select: { email: true, name: true } },
          events: { orderBy: { seq: "asc" } },
          toolCalls: {
            select: { id: true, tool: true, turn: true, status: true, result: true },
            orderBy: { createdAt: "asc" },
          },
          approvals: {
            where: { NOT: { id } },
            include: { decidedBy: { select: { email: true } } },
            orderBy: { createdAt: "asc" },
          },
          externalAction: true,
        },
      },
    },
  });
  if (!approval) return null;
  const tool = registry.tool(approval.agent, approval.tool);
  const { run, toolCall } = approval;
  // Four-eyes: who approved the arguments shown (an edit starts the count again); one read, only when it needs several.
  const approvedBy =
    approval.requiredApprovals > 1 ? await votersFor(db, approval.id, approval.proposedHash) : [];
  // An external agent's call brings its own schema, summary, subject and inputs (lib/external).
  const external = run.externalAction ? externalPacketParts(run.externalAction) : null;
  return {
    id: approval.id,
    status: approval.status,
    agent: approval.agent,
    tool: approval.tool,
    toolDescription: external?.toolDescription ?? tool?.description ?? "",
    inputSchema:
      external?.inputSchema ??
      (tool ? (z.toJSONSchema(tool.input) as Record<string, unknown>) : {}),
    summary:
      external?.summary ?? summarize(approval.agent, approval.tool, approval.proposedArguments),
    reasons: approval.reasons as string[],
    // What the policy asked of it when it was parked (lib/policy), and how far it has come.
    policy: {
      version: approval.policyVersion,
      rules: (approval.policyRules ?? []) as Array<{ id: string; name: string; because: string }>,
      requiredApprovals: approval.requiredApprovals,
      approvedBy,
      team: approval.team,
      dueAt: approval.dueAt?.toISOString() ?? null,
      onExpiry: approval.onExpiry,
      grantId: approval.grantId,
    },
    proposedArguments: approval.proposedArguments as Record<string, unknown>,
    proposedHash: approval.proposedHash,
    approvedArguments: approval.approvedArguments as Record<string, unknown> | null,
    // The tool call's arguments are what ran; they only count as executed once it started.
    executedArguments: EXECUTED.includes(toolCall.status)
      ? (toolCall.arguments as Record<string, unknown>)
      : null,
    confidence: toolCall.confidence,
    rationale: toolCall.rationale,
    toolCallStatus: toolCall.status,
    result: toolCall.result,
    decidedBy: approval.decidedBy?.email ?? null,
    decidedByName: approval.decidedBy?.name ?? null,
    decidedAt: approval.decidedAt?.toISOString() ?? null,
    decisionReason: approval.decisionReason,
    claim: activeClaim(approval, viewerId),
    createdAt: approval.createdAt.toISOString(),
    expiresAt: approval.expiresAt.toISOString(),
    run: {
      id: run.id,
      status: run.status,
      statusReason: run.statusReason,
      request: run.request,
      requestedBy: external?.requestedBy ?? run.user.email,
      intent: run.intent,
      intentConfidence: run.intentConfidence,
      modelProvider: run.modelProvider,
      inputTokens: run.inputTokens,
      outputTokens: run.outputTokens,
      costMicros: run.costMicros,
      iterations: run.iterations,
      anomalies: (await runAnomalyBadges([run.id])).get(run.id) ?? [],
    },
    trace: traceView(run.events),
    untrustedInputs:
      external?.untrustedInputs ??
      untrustedInputs(run.request, toolCall, run.toolCalls, run.events),
    otherDecisions: run.approvals.map((a) => ({
      id: a.id,
      tool: a.tool,
      status: a.status,
      decidedBy: a.decidedBy?.email ?? null,
    })),
  };
}

export type ApprovalPacket = NonNullable<Awaited<ReturnType<typeof approvalPacket>>>;

/** The HTTP API's view of one approval: the packet without the run's full trace. */
export async function approvalForApi(id: string, viewerId: string | null) {
  const packet = z.uuid().safeParse(id).success ? await approvalPacket(id, viewerId) : null;
  if (!packet) throw new AppError("not_found", "This approval does not exist.");
  const { trace: _trace, ...state } = packet;
  return state;
}

/**
 * Edited arguments checked against the tool's schema with every message naming its field, so a
 * client learns which argument is wrong. decideApproval checks them again; this only words it.
 */
export async function checkEditedArguments(
  approvalId: string,
  args: Record<string, unknown>,
): Promise<void> {
  const approval = await db.approval.findUnique({
    where: { id: approvalId },
    select: { agent: true, tool: true, runId: true },
  });
  // An external agent's call is checked against the input_schema it sent (lib/external).
  const external = approval ? await externalEditSchema(db, approval.runId) : undefined;
  const tool = external?.schema
    ? { input: external.schema }
    : approval && registry.tool(approval.agent, approval.tool);
  const parsed = tool?.input.safeParse(args);
  if (parsed && !parsed.success)
    throw new AppError("invalid_input", describeIssues(parsed.error, { nameFields: true }));
}
