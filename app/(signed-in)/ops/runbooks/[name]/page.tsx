import Link from "next/link";
import { notFound } from "next/navigation";
import { RunbookView } from "@/components/ops/runbook-view";
import { Refusal } from "@/components/ui/refusal";
import { readRunbook } from "@/lib/alerts/runbooks";
import { pageActor } from "@/lib/auth/pages";

export const metadata = { title: "Runbook · Countersign" };

export default async function RunbookPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const { actor, refused } = await pageActor("inbox", `/ops/runbooks/${encodeURIComponent(name)}`);
  if (refused) return <Refusal actor={actor} surface="runbooks" />;
  const source = await readRunbook(name);
  if (source === null) notFound();
  return (
    <div>
      <Link href="/ops/alerts" className="text-sm text-slate-600 hover:underline">
        ← Alerts
      </Link>
      <RunbookView source={source} />
    </div>
  );
}
