import "server-only";
import { db } from "@/lib/db";
import type { Divergence } from "./compare";

export type ScratchSummary = {
  id: string;
  kind: string;
  version: number | null;
  status: string;
  divergences: number;
  requestedBy: string | null;
  at: string;
};

/** A recorded run's replays and re-runs, newest first. */
export async function scratchRunsOf(sourceRunId: string): Promise<ScratchSummary[]> {
  const rows = await db.scratchRun.findMany({
    where: { sourceRunId, kind: { in: ["replay", "rerun"] } },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  const runs = await db.run.findMany({
    where: { id: { in: rows.map((r) => r.runId) } },
    select: { id: true, status: true },
  });
  return rows.map((r) => ({
    id: r.runId,
    kind: r.kind,
    version: r.version,
    status: runs.find((x) => x.id === r.runId)?.status ?? "unknown",
    divergences: (r.divergences as unknown[]).length,
    requestedBy: r.requestedBy,
    at: r.createdAt.toISOString(),
  }));
}

export type SideView = {
  runId: string;
  status: string;
  statusReason: string | null;
  agentVersion: number | null;
  answer: string | null;
  tokens: number;
  costMicros: number;
  steps: { seq: number; kind: string; name: string }[];
  calls: { tool: string; arguments: unknown; status: string }[];
};

export type ScratchComparisonView = {
  kind: string;
  version: number | null;
  requestedBy: string | null;
  at: string;
  divergences: Divergence[];
  original: SideView;
  scratch: SideView;
};

async function sideView(runId: string, answers: "live" | "scratch"): Promise<SideView> {
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: {
      events: { orderBy: { seq: "asc" }, select: { seq: true, kind: true, name: true } },
      toolCalls: {
        orderBy: [{ turn: "asc" }, { createdAt: "asc" }],
        select: { tool: true, arguments: true, status: true },
      },
    },
  });
  const last =
    answers === "live"
      ? await db.message.findFirst({
          where: { runId, author: "assistant" },
          orderBy: { createdAt: "desc" },
        })
      : await db.scratchMessage.findFirst({ where: { runId }, orderBy: { createdAt: "desc" } });
  return {
    runId,
    status: run.status,
    statusReason: run.statusReason,
    agentVersion: run.agentVersion,
    answer: last?.text ?? null,
    tokens: run.inputTokens + run.outputTokens,
    costMicros: run.costMicros,
    steps: run.events,
    calls: run.toolCalls,
  };
}

/** A replay or re-run beside the run it started from; null when `scratchRunId` is not one of `sourceRunId`'s. */
export async function scratchComparison(
  sourceRunId: string,
  scratchRunId: string,
): Promise<ScratchComparisonView | null> {
  const row = await db.scratchRun.findUnique({ where: { runId: scratchRunId } });
  if (!row || row.sourceRunId !== sourceRunId) return null;
  const [original, scratch] = await Promise.all([
    sideView(sourceRunId, "live"),
    sideView(scratchRunId, "scratch"),
  ]);
  return {
    kind: row.kind,
    version: row.version,
    requestedBy: row.requestedBy,
    at: row.createdAt.toISOString(),
    divergences: row.divergences as Divergence[],
    original,
    scratch,
  };
}
