import { z } from "zod";
import { InboxList } from "@/components/inbox/inbox-list";
import { Refusal } from "@/components/ui/refusal";
import { inboxFilterOptions, inboxQuery, listPending } from "@/lib/approvals/queries";
import { pageActor } from "@/lib/auth/pages";
import { describeIssues } from "@/lib/errors";
import { Alert } from "@/components/ui/alert";

export const metadata = { title: "Inbox · Countersign" };

export default async function InboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { actor, refused } = await pageActor("inbox", "/inbox");
  if (refused) return <Refusal actor={actor} surface="reviewer inbox" />;
  const raw = Object.fromEntries(
    Object.entries(await searchParams).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
  // The first page is always server-rendered from the start; a cursor in a shared link is dropped.
  const { item, ...filterParams } = raw;
  const parsed = inboxQuery.safeParse({ ...filterParams, cursor: undefined });
  // ?item= names the item in view; an id that is not one is ignored.
  const itemId = item && z.uuid().safeParse(item).success ? item : null;
  const query = parsed.success ? parsed.data : inboxQuery.parse({});
  const initial = await listPending(query, actor.id);
  const filters = {
    status: query.status,
    agent: query.agent ?? "",
    tool: query.tool ?? "",
    reason: query.reason ?? "",
    sort: query.sort,
  };
  return (
    <div>
      {!parsed.success && (
        <Alert tone="warning" className="mb-4">
          Some filters in the address were not understood ({describeIssues(parsed.error)}); showing
          the default view.
        </Alert>
      )}
      <InboxList
        initial={initial}
        initialFilters={filters}
        initialItemId={itemId}
        options={inboxFilterOptions()}
      />
    </div>
  );
}
