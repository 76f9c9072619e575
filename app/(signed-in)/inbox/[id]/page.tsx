import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { AddDecisionAsCase } from "@/components/evals/add-decision-as-case";
import { LivePacket } from "@/components/inbox/live-packet";
import { AnomalyBadges } from "@/components/runs/anomaly-badges";
import { Refusal } from "@/components/ui/refusal";
import { approvalPacket } from "@/lib/approvals/queries";
import { pageActor } from "@/lib/auth/pages";
import { draftFromApproval, toDecisionDraft } from "@/lib/evals/record";

export const metadata = { title: "Approval · Countersign" };

export default async function ApprovalPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ edit?: string | string[] }>;
}) {
  const { id } = await params;
  const { edit } = await searchParams;
  const { actor, refused } = await pageActor("inbox", `/inbox/${id}`);
  if (refused) return <Refusal actor={actor} surface="reviewer inbox" />;
  if (!z.uuid().safeParse(id).success) notFound();
  const packet = await approvalPacket(id, actor.id);
  if (!packet) notFound();
  // Once decided, the decision is offered as an eval case (lib/evals/record.ts).
  const draft = packet.status === "pending" ? null : await draftFromApproval(id);
  return (
    <div>
      <Link href="/inbox" className="text-sm text-slate-600 hover:underline">
        ← Inbox
      </Link>
      <h1 className="mt-2 text-xl font-semibold">Approval: {packet.summary}</h1>
      {packet.run.anomalies.length > 0 && (
        <p className="mt-3 text-sm">
          This run is far outside its agent&apos;s baseline:{" "}
          <AnomalyBadges badges={packet.run.anomalies} />
        </p>
      )}
      <LivePacket id={packet.id} initial={packet} startEditing={edit === "1"} />
      {draft && (
        <div className="mt-6 max-w-xl">
          <AddDecisionAsCase draft={toDecisionDraft(draft)} />
        </div>
      )}
    </div>
  );
}
