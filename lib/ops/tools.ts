import "server-only";
import { db } from "@/lib/db";
import { agentVersionConditions, type OpsScope } from "./scope";

// Tool calls and failures per (agent, tool) over a window, with the tool cache's hit rate. A
// cache hit is a trace event of kind `cache` whose name starts with "hit" and whose data carries
// `agent` and `tool` (lib/cache records them). Where no such events exist, hits are 0 and the
// rate is shown as "no cache events", never as a made-up figure.

export type ToolFigures = {
  agent: string;
  tool: string;
  calls: number;
  succeeded: number;
  failed: number;
  refused: number;
  rejected: number;
  cacheHits: number;
};

export async function toolFigures(scope: OpsScope): Promise<ToolFigures[]> {
  const rows = await db.$queryRaw<Omit<ToolFigures, "cacheHits">[]>`
    select r.agent, c.tool, count(*)::int as calls,
      (count(*) filter (where c.status = 'succeeded'))::int as succeeded,
      (count(*) filter (where c.status = 'failed'))::int as failed,
      (count(*) filter (where c.status = 'refused'))::int as refused,
      (count(*) filter (where c.status in ('rejected', 'expired')))::int as rejected
    from tool_calls c join runs r on r.id = c.run_id
    where c.created_at >= ${scope.window.from}::timestamp(3) and c.created_at < ${scope.window.to}::timestamp(3) ${agentVersionConditions(scope)}
    group by 1, 2 order by 1, 2`;
  const hits = await cacheHits(scope);
  const key = (agent: string | null, tool: string) => `${agent}\u0000${tool}`;
  const hitMap = new Map(hits.map((h) => [key(h.agent, h.tool), h.hits]));
  const figures: ToolFigures[] = rows.map((r) => ({ ...r, agent: r.agent ?? "unrouted", cacheHits: hitMap.get(key(r.agent, r.tool)) ?? 0 }));
  // A tool answered only from the cache in this window still shows up.
  for (const h of hits) {
    if (!rows.some((r) => key(r.agent, r.tool) === key(h.agent, h.tool)))
      figures.push({ agent: h.agent, tool: h.tool, calls: 0, succeeded: 0, failed: 0, refused: 0, rejected: 0, cacheHits: h.hits });
  }
  return figures;
}

export async function cacheHits(scope: OpsScope): Promise<{ agent: string; tool: string; hits: number }[]> {
  return db.$queryRaw<{ agent: string; tool: string; hits: number }[]>`
    select e.data->>'agent' as agent, e.data->>'tool' as tool, count(*)::int as hits
    from trace_events e join runs r on r.id = e.run_id
    where e.kind = 'cache' and e.name like 'hit%'
      and e.created_at >= ${scope.window.from}::timestamp(3) and e.created_at < ${scope.window.to}::timestamp(3) ${agentVersionConditions(scope)}
    group by 1, 2`;
}

/** Hits over the lookups the cache could have answered (hits plus calls that ran); null without any cache event. */
export function cacheHitRate(figures: Pick<ToolFigures, "calls" | "cacheHits">[]): number | null {
  const hits = figures.reduce((n, f) => n + f.cacheHits, 0);
  if (hits === 0) return null;
  const calls = figures.reduce((n, f) => n + f.calls, 0);
  return hits / (hits + calls);
}
