import Link from "next/link";
import { QueueDelegation } from "@/components/account/queue-delegation";
import { StandingGrants } from "@/components/account/standing-grants";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { grantsFor } from "@/lib/policy/grant-store";
import { listDelegations } from "@/lib/teams/delegations";
import { listReviewers } from "@/lib/teams/teams";

export const metadata = { title: "Account · Countersign" };

export default async function AccountPage() {
  const { actor, refused } = await pageActor("inbox", "/account");
  if (refused) return <Refusal actor={actor} surface="account settings" />;
  const [delegations, reviewers, grants] = await Promise.all([
    listDelegations(actor.id),
    listReviewers(),
    grantsFor(actor),
  ]);
  return (
    <div className="mx-auto max-w-4xl space-y-8">
      <div>
        <h1 className="text-xl font-semibold">Your account</h1>
        <p className="mt-1 text-sm text-slate-600">
          Signed in as {actor.email}.{" "}
          <Link href="/account/tokens" className="underline">
            Personal access tokens
          </Link>{" "}
          for the HTTP API.
        </p>
      </div>
      <section aria-labelledby="delegation-title" className="space-y-2">
        <h2 id="delegation-title" className="text-lg font-semibold">
          Out of office
        </h2>
        <p className="text-sm text-slate-600">
          Hand your team queues to another reviewer for a period: they see your teams&apos; items in
          their inbox until it ends or you revoke it. You keep seeing them too.
        </p>
        <QueueDelegation delegations={delegations} reviewers={reviewers} selfEmail={actor.email} />
      </section>
      <section aria-labelledby="grants-title" className="space-y-2">
        <h2 id="grants-title" className="text-lg font-semibold">
          Standing permissions
        </h2>
        <p className="text-sm text-slate-600">
          {actor.role === "admin" ? "Every reviewer's" : "Yours"}: calls like one approved with
          “approve calls like this automatically” go through as that reviewer&apos;s approval, for
          the same customer and within the approved amounts, until they run out, expire or are
          revoked.
        </p>
        <StandingGrants grants={grants} showGrantor={actor.role === "admin"} />
      </section>
    </div>
  );
}
