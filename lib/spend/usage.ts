import "server-only";
import { db, queryRows, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { startOfUtcDay } from "./day";

// Today's model spend, from the cost every model call already records on its trace event.
// The runs filter (updated today) narrows the join through an index: a run that had a model call
// today was updated today, since the step that records a model call adds its usage to the run in the same
// transaction, and updatedAt only moves forward. Scratch runs (replay, shadow) are counted apart.

type Client = Tx | typeof db;

async function spentOn(client: Client, runs: { userId: string } | { agent: string }, now: Date): Promise<number> {
  const since = startOfUtcDay(now).toISOString();
  const whose = "userId" in runs ? Prisma.sql`r.user_id = ${runs.userId}::uuid` : Prisma.sql`r.agent = ${runs.agent}`;
  // Outside a transaction on the pool (lib/db.ts): every routed run asks for its agent's.
  const [row] = await queryRows<{ spent: string | number | bigint | null }>(
    client,
    Prisma.sql`select sum(e.cost_micros)::bigint as spent from trace_events e join runs r on r.id = e.run_id
      where e.kind = 'model_call' and e.created_at >= ${since}::timestamp(3) and ${whose} and r.mode = 'live' and r.updated_at >= ${since}::timestamp(3)`,
  );
  return Number(row?.spent ?? 0);
}

/** What the user's runs spent on model calls today (UTC), in micro-dollars. */
export const userSpentToday = (userId: string, now = new Date(), client: Client = db) => spentOn(client, { userId }, now);

/** What the agent's runs spent on model calls today (UTC), routing included, in micro-dollars. */
export const agentSpentToday = (agent: string, now = new Date(), client: Client = db) => spentOn(client, { agent }, now);
