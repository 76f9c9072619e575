import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { CaseResults } from "@/components/evals/case-results";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { evalRunDetail } from "@/lib/evals/queries";
import { formatDateTime, formatMicros } from "@/lib/format";

export const metadata = { title: "Eval run · Countersign" };

export default async function EvalRunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { actor, refused } = await pageActor("inbox", `/evals/runs/${id}`);
  if (refused) return <Refusal actor={actor} surface="evals" />;
  if (!z.uuid().safeParse(id).success) notFound();
  const run = await evalRunDetail(id);
  if (!run) notFound();
  return (
    <div>
      <Link href="/evals" className="text-sm text-slate-600 hover:underline">
        ← Evals
      </Link>
      <h1 className="mt-2 text-2xl font-semibold">
        Eval run: {run.agent} v{run.version}
      </h1>
      <p className="text-sm text-slate-600">
        {formatDateTime(run.at)} · {run.modelProvider} · suites {run.suites} · {run.passed}/
        {run.total} passed · {run.tokens} tokens · {formatMicros(run.costMicros, 4)} ·{" "}
        {(run.durationMs / 1000).toFixed(1)} s · {run.by ?? run.trigger}
      </p>
      {run.regressions.length > 0 && (
        <p className="mt-2 text-sm font-medium text-red-700">
          Regressions: {run.regressions.join(", ")}
        </p>
      )}
      <CaseResults cases={run.cases} />
    </div>
  );
}
