import "server-only";
import { z } from "zod";

import { db } from "@/lib/db";
import { verifyAuditChain, type ChainVerdict } from "./chain";

const MAX_SEQ = 2_147_483_647;

export const auditPageQuery = z.object({
  // `seq` is a 32-bit integer: a cursor beyond it is no page at all, so it starts from the newest.
  before: z.coerce.number().int().positive().max(MAX_SEQ).optional().catch(undefined),
  after: z.coerce.number().int().nonnegative().max(MAX_SEQ).optional().catch(undefined),
});
export type AuditPageQuery = z.infer<typeof auditPageQuery>;

export type AuditEntryView = {
  /** Stable row key: the seq, or `w<id>` for an entry not yet chained. */
  key: string;
  /** null while the entry waits for the appender to link it. */
  seq: number | null;
  at: string;
  actorEmail: string;
  action: string;
  approvalId: string | null;
  runId: string | null;
  tool: string | null;
  summary: string;
  payloadJson: string;
  hash: string | null;
  prevHash: string | null;
};

export type AuditPage = {
  entries: AuditEntryView[];
  /** Entries written but not yet linked into the chain, newest first (on the newest page only). */
  unchained: AuditEntryView[];
  newer?: number;
  older?: number;
  total: number;
};

type StoredEntry = {
  at: Date;
  actorEmail: string;
  action: string;
  approvalId: string | null;
  runId: string | null;
  payload: unknown;
};

function viewOf(
  row: StoredEntry,
  chain: { key: string; seq: number | null; hash: string | null; prevHash: string | null },
): AuditEntryView {
  const payload = payloadShape.parse(row.payload);
  return {
    ...chain,
    at: row.at.toISOString(),
    actorEmail: row.actorEmail,
    action: row.action,
    approvalId: row.approvalId,
    runId: row.runId,
    tool: payload.tool ?? null,
    summary: summarise(payload),
    payloadJson: JSON.stringify(row.payload, null, 2),
  };
}

const PAGE_SIZE = 50;

const payloadShape = z
  .object({
    tool: z.string().optional().catch(undefined),
    proposed: z.record(z.string(), z.unknown()).optional().catch(undefined),
    approved: z.record(z.string(), z.unknown()).optional().catch(undefined),
    reason: z.string().nullable().optional().catch(undefined),
    // Admin actions: what they acted on, and its state before and after.
    email: z.string().optional().catch(undefined),
    operation: z.string().optional().catch(undefined),
    agent: z.string().optional().catch(undefined),
    name: z.string().optional().catch(undefined),
    before: z.record(z.string(), z.unknown()).nullable().optional().catch(undefined),
    after: z.record(z.string(), z.unknown()).nullable().optional().catch(undefined),
  })
  .catch({});

/** Newest first, by keyset on `seq`: `before` pages to older entries, `after` to newer ones. */
export async function listAuditEntries(query: AuditPageQuery): Promise<AuditPage> {
  const newestFirst = query.after === undefined;
  const rows = await db.auditEntry.findMany({
    where:
      query.after !== undefined
        ? { seq: { gt: query.after } }
        : query.before !== undefined
          ? { seq: { lt: query.before } }
          : {},
    orderBy: { seq: newestFirst ? "desc" : "asc" },
    take: PAGE_SIZE,
  });
  if (!newestFirst) rows.reverse();
  const first = rows[0]?.seq;
  const last = rows.at(-1)?.seq;
  const [hasNewer, hasOlder, total] = await Promise.all([
    first === undefined
      ? null
      : db.auditEntry.findFirst({ where: { seq: { gt: first } }, select: { seq: true } }),
    last === undefined
      ? null
      : db.auditEntry.findFirst({ where: { seq: { lt: last } }, select: { seq: true } }),
    db.auditEntry.count(),
  ]);
  const unchained =
    newestFirst && query.before === undefined
      ? await db.auditPending.findMany({ orderBy: { id: "desc" }, take: PAGE_SIZE })
      : [];
  return {
    entries: rows.map((row) =>
      viewOf(row, { key: String(row.seq), seq: row.seq, hash: row.hash, prevHash: row.prevHash }),
    ),
    unchained: unchained.map((row) =>
      viewOf(row, { key: `w${row.id}`, seq: null, hash: null, prevHash: null }),
    ),
    ...(hasNewer && first !== undefined && { newer: first }),
    ...(hasOlder && last !== undefined && { older: last }),
    total,
  };
}

const shortValue = (v: unknown) =>
  v !== null && typeof v === "object" ? "…" : typeof v === "string" ? v : JSON.stringify(v ?? null);

/** `active: true → false` for each top-level field an admin action changed. */
function changes(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): string {
  if (before === undefined && after === undefined) return "";
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys
    .filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]))
    .map(
      (k) =>
        `${k}: ${before ? shortValue(before[k]) : "—"} → ${after ? shortValue(after[k]) : "—"}`,
    )
    .join(", ");
}

function summarise(payload: z.infer<typeof payloadShape>): string {
  const args = payload.approved ?? payload.proposed;
  const shown = args
    ? Object.entries(args)
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(", ")
    : "";
  const subject = payload.email ?? payload.operation ?? payload.agent ?? payload.name ?? "";
  const changed = changes(payload.before, payload.after);
  const text = [
    shown,
    [subject, changed].filter(Boolean).join(" "),
    payload.reason ? `reason: ${payload.reason}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

export type UnchainedSummary = { count: number; oldestAt: string | null };

/** Entries written but not yet linked by the appender: reported, never counted as verified. */
export async function unchainedAudit(): Promise<UnchainedSummary> {
  const [count, oldest] = await Promise.all([
    db.auditPending.count(),
    db.auditPending.findFirst({ orderBy: { id: "asc" }, select: { at: true } }),
  ]);
  return { count, oldestAt: oldest?.at.toISOString() ?? null };
}

/** Verifies the whole stored chain, in batches. */
export function verifyStoredChain(): Promise<ChainVerdict> {
  return verifyAuditChain((afterSeq, limit) =>
    db.auditEntry.findMany({
      where: { seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: limit,
    }),
  );
}
