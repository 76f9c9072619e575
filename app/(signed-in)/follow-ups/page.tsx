import Link from "next/link";
import { FollowUpCard } from "@/components/follow-ups/follow-up-card";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import {
  FOLLOW_UP_PAGE_SIZE,
  followUpStatus,
  listFollowUps,
  openFollowUpCount,
} from "@/lib/follow-ups/service";
import { Alert } from "@/components/ui/alert";

export const metadata = { title: "Follow-ups · Countersign" };

const TABS = [
  { status: "open", label: "Waiting for a reply" },
  { status: "answered", label: "Answered" },
] as const;

export default async function FollowUpsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { actor, refused } = await pageActor("inbox", "/follow-ups");
  if (refused) return <Refusal actor={actor} surface="follow-ups" />;
  const parsed = followUpStatus.safeParse((await searchParams).status ?? "open");
  const status = parsed.success ? parsed.data : "open";
  const [followUps, open] = await Promise.all([listFollowUps(status), openFollowUpCount()]);
  return (
    <div className="mx-auto max-w-4xl">
      <h1 className="text-xl font-semibold">Follow-ups</h1>
      <p className="text-sm text-slate-600">
        Requests the agent could not finish. The customer was told that someone from the team will
        follow up in their chat; your reply appears there.
      </p>
      {!parsed.success && (
        <Alert tone="error" className="mt-3">
          {parsed.error.issues[0]?.message}. Showing the open follow-ups.
        </Alert>
      )}
      <nav
        aria-label="Follow-up status"
        className="mt-4 flex gap-4 border-b border-slate-200 text-sm"
      >
        {TABS.map((tab) => (
          <Link
            key={tab.status}
            href={`/follow-ups?status=${tab.status}`}
            aria-current={tab.status === status ? "page" : undefined}
            className={`-mb-px border-b-2 px-1 pb-2 ${tab.status === status ? "border-slate-900 font-medium" : "border-transparent text-slate-600"}`}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      {followUps.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">
          {status === "open"
            ? "Nobody is waiting for a reply."
            : "No follow-up has been answered yet."}
        </p>
      ) : (
        <>
          {status === "open" && open > followUps.length && (
            <p className="mt-4 text-sm text-slate-600">
              Showing the {followUps.length} longest-waiting of {open}; answer these and the next
              ones appear.
            </p>
          )}
          {status === "answered" && followUps.length === FOLLOW_UP_PAGE_SIZE && (
            <p className="mt-4 text-sm text-slate-600">
              Showing the {FOLLOW_UP_PAGE_SIZE} most recent replies.
            </p>
          )}
          <ol aria-label="Follow-ups" className="mt-6 space-y-4">
            {followUps.map((followUp) => (
              <FollowUpCard key={followUp.id} followUp={followUp} />
            ))}
          </ol>
        </>
      )}
      <LiveRefresh active={status === "open"} intervalMs={5000} kinds={["follow-up"]} />
    </div>
  );
}
