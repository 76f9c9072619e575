import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { SideBySide } from "@/components/replay/side-by-side";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { scratchComparison } from "@/lib/replay/queries";

export const metadata = { title: "Replay · Countersign" };

export default async function ReplayPage({
  params,
}: {
  params: Promise<{ id: string; replayId: string }>;
}) {
  const { id, replayId } = await params;
  const { actor, refused } = await pageActor("inbox", `/runs/${id}/replays/${replayId}`);
  if (refused) return <Refusal actor={actor} surface="runs" />;
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(replayId).success) notFound();
  const view = await scratchComparison(id, replayId);
  if (!view) notFound();
  return (
    <div>
      <Link href={`/runs/${id}`} className="text-sm text-slate-600 hover:underline">
        ← The recorded run
      </Link>
      <SideBySide view={view} />
    </div>
  );
}
