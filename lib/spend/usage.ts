import "server-only";
import { sql } from "kysely";
import { builder, fixed, hot } from "@/lib/store";
import { db, type Tx } from "@/lib/db";
import { startOfUtcDay } from "./day";

// Today's model spend. A user's (turn-gate-facts.ts) is summed from the cost every model call records on its
// trace event (the runs filter, updated today, narrows the join through an index: a run that had
// a model call today was updated today). An agent's is busier by far (every routed run checks it,
// and the day's model calls run to hundreds of thousands), so the writes that record a priced
// model call also add it to agent_spend_days, and the check reads at most 16 rows. Scratch runs
// (replay, shadow) count towards neither.

type Client = Tx | typeof db;

/**
 * The upsert that adds a live run's model spend to its agent's day, for the statements that
 * record the calls (persist-step's and route-writes'): `rows` selects (agent, run id, micro-dollars).
 * The run's id picks one of 16 rows, so concurrent runs of one agent rarely wait on each other.
 */
export const addAgentSpendSql = (rows: string) => `
  insert into agent_spend_days (agent, day, shard, cost_micros)
  select s.agent, timezone('utc', now())::date, (hashtext(s.run_id::text) & 15)::smallint, s.micros
  from (${rows}) as s(agent, run_id, micros) where s.micros > 0 and s.agent is not null
  on conflict (agent, day, shard) do update set cost_micros = agent_spend_days.cost_micros + excluded.cost_micros`;

const addRoutedSpendStatement = fixed<never>(
  addAgentSpendSql(
    `select agent, id, cost_micros::bigint from runs where id = $1::uuid and mode = 'live'`,
  ),
);

/** What a live run spent before it had an agent (the router's calls), added once the run is routed (the fallback's long way). */
export async function addRoutedSpend(tx: Tx, runId: string) {
  await addRoutedSpendStatement(tx, [runId]);
}

const agentSpendOfDay = hot((p: { agent: string; day: string }) =>
  builder
    .selectFrom("agent_spend_days")
    .select(sql<string | number | bigint | null>`sum(cost_micros)::bigint`.as("spent"))
    .where("agent", "=", p.agent)
    .where("day", "=", sql<Date>`${p.day}::date`),
);

/** What the agent's live runs spent on model calls today (UTC), in micro-dollars. */
export async function agentSpentToday(
  agent: string,
  now = new Date(),
  client: Client = db,
): Promise<number> {
  const [row] = await agentSpendOfDay(client, {
    agent,
    day: startOfUtcDay(now).toISOString().slice(0, 10),
  });
  return Number(row?.spent ?? 0);
}
