import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ReplayControls } from "@/components/replay/replay-controls";
import { ScratchRunsList } from "@/components/replay/scratch-runs-list";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { AddDecisionAsCase } from "@/components/evals/add-decision-as-case";
import { RunDetailView } from "@/components/runs/run-detail";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { settingsHistory } from "@/lib/agent-settings/settings";
import { scratchRunsOf } from "@/lib/replay/queries";
import { draftsForRun } from "@/lib/evals/record";
import { runDetail } from "@/lib/runs/queries";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";

export const metadata = { title: "Run · Countersign" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { actor, refused } = await pageActor("inbox", `/runs/${id}`);
  if (refused) return <Refusal actor={actor} surface="runs" />;
  if (!z.uuid().safeParse(id).success) notFound();
  const run = await runDetail(id);
  if (!run) notFound();
  const ended = TERMINAL_RUN_STATUSES.includes(run.status);
  const [versions, replays] =
    ended && run.agent
      ? await Promise.all([settingsHistory(run.agent), scratchRunsOf(id)])
      : [[], []];
  const drafts = await draftsForRun(id);
  return (
    <div>
      <Link href="/runs" className="text-sm text-slate-600 hover:underline">
        ← Runs
      </Link>
      <RunDetailView run={run} linkSettings={actor.role === "admin"} />
      {ended && run.agent && (
        <div className="mt-6">
          <ReplayControls
            runId={id}
            versions={versions.map((v) => ({
              version: v.version,
              label: `v${v.version}${v.active ? " (active)" : " (candidate)"} · ${v.reason}`,
            }))}
          />
          <ScratchRunsList runId={id} items={replays} />
        </div>
      )}
      {drafts.length > 0 && (
        <div className="mt-6 grid max-w-3xl gap-4">
          {drafts.map((d) => (
            <AddDecisionAsCase key={d.approvalId} draft={d} />
          ))}
        </div>
      )}
      <LiveRefresh active={!ended} kinds={["run", "approval"]} runId={id} />
    </div>
  );
}
