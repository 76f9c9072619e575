import "server-only";
import { db } from "@/lib/db";
import { sql } from "kysely";
import { builder, rows } from "@/lib/store";
import { grouped } from "@/lib/db/group";
import { Prisma } from "@/lib/generated/prisma/client";
import { summarize } from "./queries";
import {
  conflictsAmong,
  recordsOf,
  relationOf,
  type Candidate,
  type Conflict,
} from "./related-rules";

export type RelatedItem = {
  id: string;
  tool: string;
  status: Candidate["status"];
  summary: string;
  createdAt: string;
  decidedAt: string | null;
  decidedByName: string | null;
  why: string[];
};

// Decided items count as related for this long; older ones are history, not context for a decision.
const RECENT_DAYS = 7;
// The most candidates read for one packet: the newest first.
const MAX_CANDIDATES = 200;

const candidateInclude = {
  run: {
    select: { user: { select: { email: true } }, externalAction: { select: { subject: true } } },
  },
  decidedBy: { select: { name: true, email: true } },
} satisfies Prisma.ApprovalInclude;

type Row = Prisma.ApprovalGetPayload<{ include: typeof candidateInclude }>;

function toCandidate(row: Row): Candidate {
  const subject = row.run.externalAction?.subject as { email?: string } | null;
  return {
    id: row.id,
    agent: row.agent,
    tool: row.tool,
    status: row.status,
    arguments: row.proposedArguments as Record<string, unknown>,
    customer: subject?.email ?? row.run.user.email,
  };
}

/** Related items (pending and recently decided) of one approval, and the conflicts among the pending ones that include it. */
export async function relatedTo(
  approvalId: string,
): Promise<{ related: RelatedItem[]; conflicts: Conflict[] }> {
  const row = await db.approval.findUnique({
    where: { id: approvalId },
    include: candidateInclude,
  });
  if (!row) return { related: [], conflicts: [] };
  const item = toCandidate(row);
  const since = new Date(Date.now() - RECENT_DAYS * 86_400_000);
  const others = await db.approval.findMany({
    where: {
      id: { not: approvalId },
      OR: [{ status: "pending" }, { decidedAt: { gte: since } }],
      AND: [{ OR: [{ run: { user: { email: row.run.user.email } } }, { agent: item.agent }] }],
    },
    include: candidateInclude,
    orderBy: { createdAt: "desc" },
    take: MAX_CANDIDATES,
  });
  const related = others.flatMap((other): RelatedItem[] => {
    const why = relationOf(item, toCandidate(other));
    if (why.length === 0) return [];
    return [
      {
        id: other.id,
        tool: other.tool,
        status: other.status,
        summary: summarize(other.agent, other.tool, other.proposedArguments),
        createdAt: other.createdAt.toISOString(),
        decidedAt: other.decidedAt?.toISOString() ?? null,
        decidedByName: other.decidedBy?.name ?? other.decidedBy?.email ?? null,
        why,
      },
    ];
  });
  const pendingWithMe = [item, ...others.map(toCandidate).filter((c) => c.status === "pending")];
  const conflicts =
    row.status === "pending"
      ? conflictsAmong(pendingWithMe).filter((c) => c.approvalIds.includes(item.id))
      : [];
  return { related, conflicts };
}

/** Conflicts within a set of items decided together: the set itself, nothing outside it. */
export async function conflictsWithin(approvalIds: string[]): Promise<Conflict[]> {
  const items = await db.approval.findMany({
    where: { id: { in: approvalIds } },
    include: candidateInclude,
  });
  return conflictsAmong(items.map(toCandidate));
}

/** The arguments of other pending calls of the same tool that change a record this one changes (a pre-check's `alsoPending`). */
export async function alsoPendingOf(
  approvalId: string,
  agent: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  const records = recordsOf({ agent, tool, arguments: args });
  if (records.length === 0) return [];
  return readPendingGrouped({ approvalId, agent, tool, records });
}

type PendingOf = { approvalId: string; agent: string; tool: string; records: string[] };

/**
 * The pending calls of each item's tool that change one of its records (`approvals.records`, kept
 * when the call was parked, found by its index however many items wait), read once per tool for
 * every decision that waits at the same moment (lib/db/group.ts): under many reviewers a
 * statement per decision cost more than the rest of the decision.
 */
async function readPending(items: PendingOf[]): Promise<Record<string, unknown>[][]> {
  const byTool = new Map<string, PendingOf[]>();
  for (const item of items) {
    const key = `${item.agent}\u0000${item.tool}`;
    byTool.set(key, [...(byTool.get(key) ?? []), item]);
  }
  const readByTool = new Map(
    [...byTool].map(([key, group]) => {
      const { agent, tool } = group[0]!;
      const records = [...new Set(group.flatMap((item) => item.records))];
      // Planned with this call's values each time, never prepared: a prepared statement's generic
      // plan cannot see how few rows `records &&` picks (nor its limit) and scanned every row of
      // the table instead of the index, 5 ms per decision at 20,000 waiting items.
      const read = rows(
        db,
        builder
          .selectFrom("approvals")
          .select(["id", "records", "proposed_arguments as args"])
          .where("agent", "=", agent)
          .where("tool", "=", tool)
          .where("status", "=", "pending")
          .where("records", "&&", sql<string[]>`${records}::text[]`)
          .limit(MAX_CANDIDATES * group.length),
      );
      return [key, read] as const;
    }),
  );
  return Promise.all(
    items.map(async (item) => {
      const mine = new Set(item.records);
      const found = await readByTool.get(`${item.agent}\u0000${item.tool}`)!;
      return found
        .filter((row) => row.id !== item.approvalId && row.records.some((r) => mine.has(r)))
        .slice(0, MAX_CANDIDATES)
        .map((row) => row.args as Record<string, unknown>);
    }),
  );
}

const readPendingGrouped = grouped(readPending, { max: 64 });
