import "server-only";
import { db, type Tx } from "@/lib/db";
import { startOfUtcDay } from "./day";

// Today's model spend, from the cost every model call already records on its trace event.
// The runs filter (updated today) narrows the join through an index: a run that had a model call
// today was updated today, since the step that records a model call adds its usage to the run in the same
// transaction, and updatedAt only moves forward. Scratch runs (replay, shadow) are counted apart.

type Client = Tx | typeof db;

async function spentOn(client: Client, runs: { userId: string } | { agent: string }, now: Date): Promise<number> {
  const since = startOfUtcDay(now);
  const { _sum } = await client.traceEvent.aggregate({
    _sum: { costMicros: true },
    where: { kind: "model_call", createdAt: { gte: since }, run: { ...runs, mode: "live", updatedAt: { gte: since } } },
  });
  return Number(_sum.costMicros ?? 0);
}

/** What the user's runs spent on model calls today (UTC), in micro-dollars. */
export const userSpentToday = (userId: string, now = new Date(), client: Client = db) => spentOn(client, { userId }, now);

/** What the agent's runs spent on model calls today (UTC), routing included, in micro-dollars. */
export const agentSpentToday = (agent: string, now = new Date(), client: Client = db) => spentOn(client, { agent }, now);
