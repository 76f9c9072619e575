import { InboxList } from "@/components/inbox/inbox-list";
import { AppHeader } from "@/components/ui/app-header";
import { Refusal } from "@/components/ui/refusal";
import { inboxFilterOptions, inboxQuery, listPending } from "@/lib/approvals/queries";
import { pageActor } from "@/lib/auth/pages";
import { describeIssues } from "@/lib/errors";

export const metadata = { title: "Inbox · Countersign" };

export default async function InboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor, refused } = await pageActor("inbox", "/inbox");
  if (refused) return <Refusal actor={actor} surface="reviewer inbox" />;
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  // The first page is always server-rendered from the start; a cursor in a shared link is dropped.
  const parsed = inboxQuery.safeParse({ ...raw, cursor: undefined });
  const query = parsed.success ? parsed.data : inboxQuery.parse({});
  const initial = await listPending(query, actor.id);
  const filters = { status: query.status, agent: query.agent ?? "", tool: query.tool ?? "", reason: query.reason ?? "", sort: query.sort };
  return (
    <>
      <AppHeader actor={actor} />
      <main className="mx-auto max-w-6xl px-6 py-8">
        {!parsed.success && (
          <p role="alert" className="mb-4 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">
            Some filters in the address were not understood ({describeIssues(parsed.error)}); showing the default view.
          </p>
        )}
        <InboxList initial={initial} initialFilters={filters} options={inboxFilterOptions()} />
      </main>
    </>
  );
}
