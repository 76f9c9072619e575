import Link from "next/link";
import { notFound } from "next/navigation";
import { CELL, HEAD, TABLE, when } from "@/lib/evals/format";
import { Refusal } from "@/components/ui/refusal";
import type { EvalCase } from "@/lib/agent-kit";
import { pageActor } from "@/lib/auth/pages";
import { suiteDetail } from "@/lib/evals/queries";
import { TableScroll } from "@/components/ui/table";

export const metadata = { title: "Eval suite · Countersign" };

function CaseList({ cases, label }: { cases: EvalCase[]; label: string }) {
  return (
    <ul aria-label={label} className="mt-2 space-y-2 text-sm">
      {cases.map((c) => (
        <li key={c.id} className="rounded border border-slate-200 bg-white p-3">
          <p className="font-mono">{c.id}</p>
          <p>{c.title}</p>
          <p className="text-slate-600">“{c.message}”</p>
          <pre className="mt-1 overflow-x-auto text-xs text-slate-600">
            {JSON.stringify({ state: c.state, decisions: c.decisions, expect: c.expect }, null, 1)}
          </pre>
        </li>
      ))}
    </ul>
  );
}

export default async function SuitePage({
  params,
}: {
  params: Promise<{ agent: string; suite: string }>;
}) {
  const { agent, suite } = await params;
  const { actor, refused } = await pageActor("inbox", `/evals/suites/${agent}/${suite}`);
  if (refused) return <Refusal actor={actor} surface="evals" />;
  if (!/^[a-z][a-z0-9-]{0,79}$/.test(agent) || !/^[a-z][a-z0-9-]{0,40}$/.test(suite)) notFound();
  const detail = await suiteDetail(agent, suite);
  if (!detail) notFound();
  return (
    <div className="space-y-6">
      <Link href="/evals" className="text-sm text-slate-600 hover:underline">
        ← Evals
      </Link>
      <h1 className="text-2xl font-semibold">
        {agent} / {suite}
      </h1>
      {detail.file && (
        <section>
          <h2 className="text-lg font-semibold">In the code</h2>
          <p className="text-sm text-slate-600">
            <code>{detail.file.path}</code> — {detail.file.description} Its history is the
            file&apos;s git history.
          </p>
          <CaseList cases={detail.file.cases} label="Cases in the file" />
        </section>
      )}
      <section>
        <h2 className="text-lg font-semibold">Recorded from decisions</h2>
        {detail.recorded.length ? (
          <CaseList cases={detail.recorded} label="Recorded cases" />
        ) : (
          <p className="text-sm text-slate-600">None yet: add one from a decided approval.</p>
        )}
      </section>
      <section>
        <h2 className="text-lg font-semibold">Version history</h2>
        <TableScroll>
          <table aria-label="Suite version history" className={TABLE}>
            <thead className={HEAD}>
              <tr>
                <th className={CELL}>Version</th>
                <th className={CELL}>Change</th>
                <th className={CELL}>Cases</th>
                <th className={CELL}>Who</th>
                <th className={CELL}>When</th>
                <th className={CELL}>From</th>
              </tr>
            </thead>
            <tbody>
              {detail.versions.map((v) => (
                <tr key={v.version} className="border-t border-slate-100">
                  <td className={CELL}>v{v.version}</td>
                  <td className={CELL}>{v.change}</td>
                  <td className={CELL}>{v.cases}</td>
                  <td className={CELL}>{v.by}</td>
                  <td className={CELL}>{when(v.at)}</td>
                  <td className={CELL}>
                    {v.sourceRunId && (
                      <Link href={`/runs/${v.sourceRunId}`} className="underline">
                        the run
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
              {detail.versions.length === 0 && (
                <tr>
                  <td className={CELL} colSpan={6}>
                    Only the file: no recorded versions.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </TableScroll>
      </section>
    </div>
  );
}
