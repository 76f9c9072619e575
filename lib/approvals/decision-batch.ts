import "server-only";
import { withPgTransaction, type PgTransaction, type Tx } from "@/lib/db";
import { grouped } from "@/lib/db/group";
import { enqueueAdvances } from "@/lib/jobs/queue";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import { lockRuns, writeDecisions, type DecisionWrite } from "./decision-statement";

// The engine's decisions, group-committed (lib/db/group.ts): the decisions waiting together go in
// one transaction, which locks their runs, writes them all in one statement, queues their resume
// jobs in one insert and commits once. Each decision is still all-or-nothing with its resume job;
// what makes it exactly-once is the conditional update in the database, not this queue, so another
// process deciding the same item is refused as before.

/** What became of one decision in its group. */
export type BatchedOutcome =
  { kind: "won"; resumed: boolean } | { kind: "lost" } | { kind: "run_ended"; status: RunStatus };

const isTerminal = (status: RunStatus | undefined): status is RunStatus =>
  !!status && (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);

/** Writes decisions of engine runs in one transaction; what became of each, in order. */
export async function decideTogether(
  tx: Tx | PgTransaction,
  writes: DecisionWrite[],
): Promise<BatchedOutcome[]> {
  const statuses = await lockRuns(
    tx,
    writes.map((w) => w.runId),
  );
  // A run that has ended takes no more decisions: those are left out and write nothing.
  const open = writes.filter((w) => !isTerminal(statuses.get(w.runId)));
  const written = new Map(
    (await writeDecisions(tx, open, statuses)).map((result, i) => [open[i]!, result]),
  );
  // The jobs that resume the runs commit with the decisions, or neither does.
  await enqueueAdvances(
    tx,
    open.filter((w) => written.get(w)!.resumed).map((w) => w.runId),
  );
  return writes.map((w): BatchedOutcome => {
    const status = statuses.get(w.runId);
    if (isTerminal(status)) return { kind: "run_ended", status };
    const result = written.get(w)!;
    return result.won ? { kind: "won", resumed: result.resumed } : { kind: "lost" };
  });
}

/**
 * Commits one decision of an engine run with its resume job, grouped with the decisions waiting
 * beside it. A second decision on the same approval waits for the next group, where the database
 * refuses it as a lost race.
 */
export const commitDecision = grouped(
  (writes: DecisionWrite[]) => withPgTransaction((tx) => decideTogether(tx, writes)),
  {
    max: 64,
    key: (write) => write.approvalId,
  },
);
