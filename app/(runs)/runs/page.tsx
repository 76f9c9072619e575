import Link from "next/link";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { RunsFilter } from "@/components/runs/runs-filter";
import { RunsTable } from "@/components/runs/runs-table";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { describeIssues } from "@/lib/errors";
import { listRuns, RUN_STATUSES, runsQuery } from "@/lib/runs/queries";
import { Alert } from "@/components/ui/alert";

export const metadata = { title: "Runs · Countersign" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function RunsPage({ searchParams }: { searchParams: SearchParams }) {
  const { actor, refused } = await pageActor("inbox", "/runs");
  if (refused) return <Refusal actor={actor} surface="runs" />;
  const raw = await searchParams;
  const single = (value: string | string[] | undefined) => (typeof value === "string" && value !== "" ? value : undefined);
  const parsed = runsQuery.safeParse({ status: single(raw.status), cursor: single(raw.cursor) });
  const query = parsed.success ? parsed.data : runsQuery.parse({});
  const { items, nextCursor } = await listRuns(query);
  const filter = query.status ? `status=${query.status}&` : "";
  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Runs</h1>
          <p className="text-sm text-slate-600">Every agent run, newest first: how it ended, why, and under which settings version.</p>
        </div>
        <RunsFilter statuses={RUN_STATUSES} current={query.status} />
      </div>
      {!parsed.success && (
        <Alert tone="error" className="mt-3">
          {describeIssues(parsed.error)}. Showing the newest runs instead.
        </Alert>
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
      <LiveRefresh active={!query.cursor} />
    </div>
  );
}
