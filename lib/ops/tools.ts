import "server-only";
import { db } from "@/lib/db";
import { TOOL_CACHE_EVENT } from "@/lib/tool-cache";
import { agentVersionConditions, type OpsScope } from "./scope";

// Tool calls and failures per (agent, tool) over a window, with the tool cache's hit rate. Every
// cache lookup is a trace event of kind `tool_cache` whose data carries `agent`, `tool` and
// `outcome` (hit or miss; lib/tool-cache records them). Where no lookup happened, the rate is
// shown as "no cache events", never as a made-up figure.

export type ToolFigures = {
  agent: string;
  tool: string;
  calls: number;
  succeeded: number;
  failed: number;
  refused: number;
  rejected: number;
  cacheHits: number;
  /** Lookups the cache answered or missed (a cacheable read's call is one lookup). */
  cacheLookups: number;
};

export async function toolFigures(scope: OpsScope): Promise<ToolFigures[]> {
  // The window's calls first, then each one's run by primary key (`limit 1` keeps the planner
  // from turning it into a join): as a join, the planner hashed all of runs (a million rows, most
  // of a week's figures) to match the window's calls.
  const rows = await db.$queryRaw<Omit<ToolFigures, "cacheHits" | "cacheLookups">[]>`
    with c as materialized (
      select c.run_id, c.tool, c.status from tool_calls c
      where c.created_at >= ${scope.window.from}::timestamp(3) and c.created_at < ${scope.window.to}::timestamp(3)
    )
    select r.agent, c.tool, count(*)::int as calls,
      (count(*) filter (where c.status = 'succeeded'))::int as succeeded,
      (count(*) filter (where c.status = 'failed'))::int as failed,
      (count(*) filter (where c.status = 'refused'))::int as refused,
      (count(*) filter (where c.status in ('rejected', 'expired')))::int as rejected
    from c cross join lateral (select r.agent from runs r where r.id = c.run_id ${agentVersionConditions(scope)} limit 1) r
    group by 1, 2 order by 1, 2`;
  const hits = await cacheHits(scope);
  const key = (agent: string | null, tool: string) => `${agent}\u0000${tool}`;
  const hitMap = new Map(hits.map((h) => [key(h.agent, h.tool), h]));
  const figures: ToolFigures[] = rows.map((r) => {
    const h = hitMap.get(key(r.agent, r.tool));
    return {
      ...r,
      agent: r.agent ?? "unrouted",
      cacheHits: h?.hits ?? 0,
      cacheLookups: h?.lookups ?? 0,
    };
  });
  // A tool whose lookups fall in the window while its calls do not still shows up.
  for (const h of hits) {
    if (!rows.some((r) => key(r.agent, r.tool) === key(h.agent, h.tool)))
      figures.push({
        agent: h.agent,
        tool: h.tool,
        calls: 0,
        succeeded: 0,
        failed: 0,
        refused: 0,
        rejected: 0,
        cacheHits: h.hits,
        cacheLookups: h.lookups,
      });
  }
  return figures;
}

export async function cacheHits(
  scope: OpsScope,
): Promise<{ agent: string; tool: string; hits: number; lookups: number }[]> {
  return db.$queryRaw<{ agent: string; tool: string; hits: number; lookups: number }[]>`
    with e as materialized (
      select e.run_id, e.data->>'agent' as agent, e.data->>'tool' as tool, e.data->>'outcome' as outcome from trace_events e
      where e.kind = ${TOOL_CACHE_EVENT} and e.data->>'outcome' in ('hit', 'miss')
        and e.created_at >= ${scope.window.from}::timestamp(3) and e.created_at < ${scope.window.to}::timestamp(3)
    )
    select e.agent, e.tool, (count(*) filter (where e.outcome = 'hit'))::int as hits, count(*)::int as lookups
    from e where exists (select 1 from runs r where r.id = e.run_id ${agentVersionConditions(scope)})
    group by 1, 2`;
}

/** Lookups answered from the cache over all cache lookups; null when nothing looked the cache up. */
export function cacheHitRate(
  figures: Pick<ToolFigures, "cacheHits" | "cacheLookups">[],
): number | null {
  const lookups = figures.reduce((n, f) => n + f.cacheLookups, 0);
  if (lookups === 0) return null;
  return figures.reduce((n, f) => n + f.cacheHits, 0) / lookups;
}
