import Link from "next/link";
import { formatDateTime } from "@/lib/format";
import type { FollowUpView } from "@/lib/follow-ups/service";
import { ReplyForm } from "./reply-form";

/** One request that needs a person: who asked what, why the agent stopped, and the reply. */
export function FollowUpCard({ followUp }: { followUp: FollowUpView }) {
  return (
    <li
      aria-label={`Follow-up for ${followUp.customer.name}`}
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">
          {followUp.customer.name}{" "}
          <span className="font-normal text-slate-600">({followUp.customer.email})</span>
        </span>
        <span className="text-slate-600">since {formatDateTime(followUp.createdAt)}</span>
      </div>
      <blockquote className="mt-2 border-l-4 border-slate-200 pl-3 text-slate-900">
        {followUp.request}
      </blockquote>
      <p className="mt-2 text-sm text-slate-700">
        <span className="font-medium">Why a person is needed:</span> {followUp.reason}{" "}
        <Link href={`/runs/${followUp.runId}`} className="underline">
          Open the run
        </Link>
      </p>
      {followUp.lastAnswer && (
        <p className="mt-1 text-sm text-slate-600">
          <span className="font-medium">The agent last said:</span> {followUp.lastAnswer}
        </p>
      )}
      {followUp.answered ? (
        <p className="mt-3 rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Answered by {followUp.answered.by} at {formatDateTime(followUp.answered.at)}
          {followUp.answered.text && <>: “{followUp.answered.text}”</>}
        </p>
      ) : (
        <ReplyForm
          followUpId={followUp.id}
          customer={followUp.customer.name}
          askedAt={formatDateTime(followUp.createdAt)}
        />
      )}
    </li>
  );
}
