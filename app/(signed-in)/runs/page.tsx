import Link from "next/link";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { RunsFilter } from "@/components/runs/runs-filter";
import { RunsTable } from "@/components/runs/runs-table";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { describeIssues } from "@/lib/errors";
import { registry } from "@/lib/agents";
import { minuteString } from "@/lib/ops/window";
import { listRuns, RUN_STATUSES, runsFilterParams, runsQuery } from "@/lib/runs/queries";

export const metadata = { title: "Runs · Countersign" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function RunsPage({ searchParams }: { searchParams: SearchParams }) {
  const { actor, refused } = await pageActor("inbox", "/runs");
  if (refused) return <Refusal actor={actor} surface="runs" />;
  const raw = await searchParams;
  const single = (value: string | string[] | undefined) =>
    typeof value === "string" && value !== "" ? value : undefined;
  const keys = [
    "status",
    "cursor",
    "agent",
    "version",
    "from",
    "to",
    "ending",
    "costAbove",
  ] as const;
  const parsed = runsQuery.safeParse(Object.fromEntries(keys.map((k) => [k, single(raw[k])])));
  const query = parsed.success ? parsed.data : runsQuery.parse({});
  const { items, nextCursor } = await listRuns(query);
  const params = runsFilterParams(query).toString();
  const filter = params ? `${params}&` : "";
  const current = {
    ...query,
    from: query.from && minuteString(query.from),
    to: query.to && minuteString(query.to),
  };
  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Runs</h1>
          <p className="text-sm text-slate-600">
            Every agent run, newest first: how it ended, why, and under which settings version.
          </p>
        </div>
        <RunsFilter
          statuses={RUN_STATUSES}
          agents={registry.agents.map((a) => a.name)}
          current={current}
        />
      </div>
      {!parsed.success && (
        <p role="alert" className="mt-3 rounded bg-red-50 px-2 py-1 text-sm text-red-700">
          {describeIssues(parsed.error)}. Showing the newest runs instead.
        </p>
      )}
      <RunsTable runs={items} />
      <nav aria-label="Pages" className="mt-4 flex gap-4 text-sm">
        {query.cursor && (
          <Link href={`/runs?${filter}`.replace(/[?&]$/, "")} className="underline">
            Newest runs
          </Link>
        )}
        {nextCursor && (
          <Link href={`/runs?${filter}cursor=${nextCursor}`} className="underline">
            Older runs
          </Link>
        )}
      </nav>
      <LiveRefresh active={!query.cursor && !query.to} kinds={["run"]} />
    </div>
  );
}
