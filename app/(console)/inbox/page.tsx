import { InboxList } from "@/components/inbox/inbox-list";
import { AppHeader } from "@/components/ui/app-header";
import { Refusal } from "@/components/ui/refusal";
import { listPending } from "@/lib/approvals/queries";
import { pageActor } from "@/lib/auth/pages";

export const metadata = { title: "Inbox · Countersign" };

export default async function InboxPage() {
  const { actor, refused } = await pageActor("inbox", "/inbox");
  if (refused) return <Refusal actor={actor} surface="reviewer inbox" />;
  const initial = await listPending({ limit: 50 });
  return (
    <>
      <AppHeader actor={actor} />
      <main className="mx-auto max-w-6xl px-6 py-8">
        <InboxList initial={initial} />
      </main>
    </>
  );
}
