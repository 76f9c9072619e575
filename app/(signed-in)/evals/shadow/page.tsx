import { ShadowForm } from "@/components/shadow/shadow-form";
import { ShadowTable } from "@/components/shadow/shadow-table";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { shadowCandidates } from "@/lib/shadow/candidates";
import { shadowComparisons } from "@/lib/shadow/compare";
import { shadowSettings } from "@/lib/shadow/config";

export const metadata = { title: "Shadow mode · Countersign" };

export default async function ShadowPage() {
  const { actor, refused } = await pageActor("inbox", "/evals/shadow");
  if (refused) return <Refusal actor={actor} surface="evals" />;
  const [rows, current, candidates] = await Promise.all([
    shadowComparisons(),
    shadowSettings(),
    actor.role === "admin" ? shadowCandidates() : Promise.resolve([]),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Shadow mode</h1>
      <p className="text-sm text-slate-600">
        A candidate settings version runs beside sampled live runs: same request, reads allowed,
        writes never executed, nothing sent to the customer or parked for reviewers, its cost
        counted apart.
      </p>
      {actor.role === "admin" ? (
        <ShadowForm candidates={candidates} current={current} />
      ) : (
        <p className="text-sm">
          {current
            .filter((c) => c.enabled)
            .map((c) => `${c.agent}: v${c.version} on ${Math.round(c.sampleRate * 100)}%`)
            .join(" · ") || "No agent is in shadow."}
        </p>
      )}
      <ShadowTable rows={rows} />
      <LiveRefresh active={rows.some((r) => r.shadow.latencyMs === null)} />
    </div>
  );
}
