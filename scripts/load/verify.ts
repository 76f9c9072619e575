// The database's word on the load test: every run it started reached a terminal state or parked
// for a reviewer (within a bounded wait), each has its answer in the customer's thread, and no
// turn the app accepted is missing a run.
import type { PrismaClient } from "../../lib/generated/prisma/client";
import type { TurnRecord } from "./customer";
import { judgeAnswer } from "./turns";

export const SETTLED_STATUSES = [
  "completed",
  "failed",
  "terminated",
  "cancelled",
  "awaiting_approval",
] as const;
const SETTLED = new Set<string>(SETTLED_STATUSES);

export type Verdict = {
  runs: number;
  byStatus: Record<string, number>;
  /** Accepted turns without a run, and runs still working after the wait. */
  lost: string[];
  /** Runs that settled with the wrong kind of answer, or none. */
  wrong: string[];
  wrongRunIds: string[];
  /** Runs of the load customers that no turn of this test asked for. */
  unexpected: number;
  /** A tool that took effect twice in one run (same tool and arguments), or a run answered twice. */
  doubleEffects: string[];
};

export async function verify(
  db: PrismaClient,
  turns: TurnRecord[],
  userIds: string[],
  since: Date,
  settleMs: number,
): Promise<Verdict> {
  const accepted = turns.filter((t): t is TurnRecord & { runId: string } => t.runId !== null);
  const ids = accepted.map((t) => t.runId);
  // Every run of the load customers since the start, including any whose send the client gave up on.
  const load = () =>
    db.run.findMany({
      where: { userId: { in: userIds }, createdAt: { gte: since } },
      select: { id: true, status: true },
    });
  const deadline = Date.now() + settleMs;
  let runs = await load();
  while (runs.some((r) => !SETTLED.has(r.status)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    runs = await load();
  }
  const status = new Map(runs.map((r) => [r.id, r.status]));
  const answers = await db.message.findMany({
    where: { runId: { in: ids }, author: "assistant" },
    orderBy: { createdAt: "asc" },
    select: { runId: true, text: true },
  });
  const firstAnswer = new Map<string, string>();
  for (const a of answers)
    if (a.runId && !firstAnswer.has(a.runId)) firstAnswer.set(a.runId, a.text);

  const lost = runs
    .filter((r) => !SETTLED.has(r.status))
    .map((r) => `${r.id}: still ${r.status} after ${settleMs / 1000} s`);
  const wrong: string[] = [];
  const wrongRunIds: string[] = [];
  for (const turn of accepted) {
    const s = status.get(turn.runId);
    if (!s) lost.push(`${turn.runId}: accepted, but no run in the database`);
    else if (SETTLED.has(s)) {
      const problem = judgeAnswer(turn, s, firstAnswer.get(turn.runId) ?? null);
      if (problem) {
        wrong.push(`${turn.runId} (${turn.kind}): ${problem}`);
        wrongRunIds.push(turn.runId);
      }
    }
  }
  const doubleEffects: string[] = [];
  for (const d of await db.toolCall.groupBy({
    by: ["runId", "tool", "argsHash"],
    where: { runId: { in: runs.map((r) => r.id) }, status: "succeeded" },
    _count: { _all: true },
    having: { runId: { _count: { gt: 1 } } },
  }))
    doubleEffects.push(`${d.runId}: ${d.tool} succeeded ${d._count._all} times`);
  const answerCount = new Map<string, number>();
  for (const a of answers)
    if (a.runId) answerCount.set(a.runId, (answerCount.get(a.runId) ?? 0) + 1);
  for (const [runId, count] of answerCount)
    if (count > 1) doubleEffects.push(`${runId}: answered ${count} times`);
  const byStatus: Record<string, number> = {};
  for (const r of runs) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const asked = new Set(ids);
  return {
    runs: runs.length,
    byStatus,
    lost,
    wrong,
    wrongRunIds,
    unexpected: runs.filter((r) => !asked.has(r.id)).length,
    doubleEffects,
  };
}
