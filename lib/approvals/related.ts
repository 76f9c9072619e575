import "server-only";
import { db } from "@/lib/db";
import { sql } from "kysely";
import { builder, hot } from "@/lib/store";
import { grouped } from "@/lib/db/group";
import { Prisma } from "@/lib/generated/prisma/client";
import { summarize } from "./queries";
import { registry } from "@/lib/agents";
import { conflictsAmong, relationOf, type Candidate, type Conflict } from "./related-rules";

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

// The tools whose pre-check reads `alsoPending`: for any other the read is skipped (a record every
// call of a tool shares, like the subscriptions agent's, would otherwise bring 200 rows a decision).
const PRE_CHECKED_TOOLS = registry.agents.flatMap((agent) =>
  agent.tools.filter((tool) => tool.preCheck).map((tool) => `${agent.name}/${tool.name}`),
);

/**
 * The one rule for a pre-check's `alsoPending`: the proposed arguments of the other pending calls
 * of the same agent's tool that change a record the approval `alias` changes (a row of the
 * statement this is spliced into; `approvals.records`, kept when the call was parked), at most
 * MAX_CANDIDATES of them, in no order, as a JSON array. A decision reads it with its approvals
 * (decide.ts), a packet through alsoPendingOf below.
 *
 * Both statements are prepared and keep to the records index with a generic plan (EXPLAIN on
 * bench:inbox's 20,000 waiting items, docs/benchmarks.md): `records &&` compares two columns here,
 * so no plan knows how many rows it picks, prepared or not, and the planner takes the index for
 * the default few. The status and the limit must be literals: with `status = $n` the partial
 * index (`where status = 'pending'`) is not provably usable, and the generic plan walked all
 * 16,000 waiting refunds by another index (12 ms; with the limit a value too, a Seq Scan of the
 * 20,000 rows, 97 ms on the busy machine) where the records index answers in 0.03 ms.
 */
export function alsoPendingArguments(alias: string) {
  const column = (name: string) => sql.ref<string>(`${alias}.${name}`);
  const others = builder
    .selectFrom("approvals as other")
    .select("other.proposed_arguments")
    .where("other.status", "=", sql.lit("pending"))
    .where("other.agent", "=", column("agent"))
    .where("other.tool", "=", column("tool"))
    .where("other.records", "&&", sql.ref<string[]>(`${alias}.records`))
    .where("other.id", "<>", column("id"))
    .where(
      sql<boolean>`${column("agent")} || '/' || ${column("tool")} = any(${PRE_CHECKED_TOOLS}::text[])`,
    )
    .limit(sql.lit(MAX_CANDIDATES));
  // json_agg of no rows is null: none is [].
  const list = sql`coalesce(json_agg(c.proposed_arguments), '[]')`;
  return sql<unknown[]>`(select ${list} from ${others.as("c")})`;
}

// A packet's own read of it; read together for the packets opened at once (a bulk review's pre-checks).
const alsoPendingOfIds = hot((p: { ids: string[] }) =>
  builder
    .selectFrom("approvals as a")
    .select(["a.id", alsoPendingArguments("a").as("alsoPending")])
    .where(sql<boolean>`a.id = any(${p.ids}::uuid[])`),
);

async function readAlsoPending(ids: string[]): Promise<unknown[][]> {
  const found = new Map(
    (await alsoPendingOfIds(db, { ids })).map((row) => [row.id, row.alsoPending]),
  );
  return ids.map((id) => found.get(id) ?? []);
}

/** The proposed arguments of the other pending calls that change a record this approval changes (a pre-check's `alsoPending`). */
export const alsoPendingOf = grouped(readAlsoPending, { max: 64 });
