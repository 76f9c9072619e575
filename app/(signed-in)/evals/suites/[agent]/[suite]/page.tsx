import Link from "next/link";
import { notFound } from "next/navigation";
import { Refusal } from "@/components/ui/refusal";
import type { EvalCase } from "@/lib/agent-kit";
import { pageActor } from "@/lib/auth/pages";
import { suiteDetail } from "@/lib/evals/queries";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";

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
          <Table aria-label="Suite version history" className="mt-3">
            <THead>
              <tr>
                <Th>Version</Th>
                <Th>Change</Th>
                <Th>Cases</Th>
                <Th>Who</Th>
                <Th>When</Th>
                <Th>From</Th>
              </tr>
            </THead>
            <tbody>
              {detail.versions.map((v) => (
                <tr key={v.version} className="border-t border-slate-100">
                  <Td className="align-top">v{v.version}</Td>
                  <Td className="align-top">{v.change}</Td>
                  <Td className="align-top">{v.cases}</Td>
                  <Td className="align-top">{v.by}</Td>
                  <Td className="align-top">{formatDateTime(v.at)}</Td>
                  <Td className="align-top">
                    {v.sourceRunId && (
                      <Link href={`/runs/${v.sourceRunId}`} className="underline">
                        the run
                      </Link>
                    )}
                  </Td>
                </tr>
              ))}
              {detail.versions.length === 0 && (
                <tr>
                  <Td className="align-top" colSpan={6}>
                    Only the file: no recorded versions.
                  </Td>
                </tr>
              )}
            </tbody>
          </Table>
        </TableScroll>
      </section>
    </div>
  );
}
