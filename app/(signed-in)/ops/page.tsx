import Link from "next/link";
import { OpsCharts } from "@/components/ops/ops-charts";
import { OpsFilters } from "@/components/ops/ops-filters";
import { OpsHumans } from "@/components/ops/ops-humans";
import { OpsSlos } from "@/components/ops/ops-slo";
import {
  AgentVersionTable,
  ApprovalsTable,
  FollowUpsTable,
  Section,
  ToolsTable,
} from "@/components/ops/ops-tables";
import { Refusal } from "@/components/ui/refusal";
import { registry } from "@/lib/agents";
import { pageActor } from "@/lib/auth/pages";
import { describeIssues } from "@/lib/errors";
import { opsOverview, opsQuery } from "@/lib/ops/overview";
import { formatDateTime } from "@/lib/format";

export const metadata = { title: "Operations · Countersign" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OpsPage({ searchParams }: { searchParams: SearchParams }) {
  const { actor, refused } = await pageActor("inbox", "/ops");
  if (refused) return <Refusal actor={actor} surface="operations dashboard" />;
  const raw = await searchParams;
  const single = (value: string | string[] | undefined) =>
    typeof value === "string" && value !== "" ? value : undefined;
  const parsed = opsQuery.safeParse({
    window: single(raw.window),
    from: single(raw.from),
    to: single(raw.to),
    agent: single(raw.agent),
    version: single(raw.version),
  });
  const ops = await opsOverview(actor, parsed.success ? parsed.data : opsQuery.parse({}));
  const { window } = ops.scope;
  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Operations</h1>
          <p className="text-sm text-slate-600">
            Runs created from {formatDateTime(window.from)} to {formatDateTime(window.to)}. Every
            figure links to the runs behind it.{" "}
            <Link href="/ops/alerts" className="underline">
              Alerts
            </Link>
          </p>
        </div>
        <OpsFilters
          window={window}
          agents={registry.agents.map((a) => a.name)}
          agent={ops.scope.agent}
          version={ops.scope.version}
        />
      </div>
      {!parsed.success && (
        <p role="alert" className="mt-3 rounded bg-red-50 px-2 py-1 text-sm text-red-700">
          {describeIssues(parsed.error)}. Showing the last day instead.
        </p>
      )}
      <OpsSlos ops={ops} />
      <OpsCharts ops={ops} />
      <Section
        id="agents-heading"
        title="Runs by agent and settings version"
        note="Intervention rate: share of finished runs where a human was in the loop (a parked call or a follow-up)."
      >
        <AgentVersionTable ops={ops} />
      </Section>
      <Section
        id="approvals-heading"
        title="Approval outcomes"
        note="Items parked in the window. Edited: approved with changed arguments. Time to decision: from parking to a reviewer's decision."
      >
        <ApprovalsTable ops={ops} />
      </Section>
      <Section
        id="tools-heading"
        title="Tool calls"
        note={
          ops.cacheHitRate === null
            ? "Cache hit rate: no cache events in this window."
            : `Cache hit rate: ${(ops.cacheHitRate * 100).toFixed(1)}% of lookups answered from the tool cache.`
        }
      >
        <ToolsTable ops={ops} />
      </Section>
      <Section id="follow-ups-heading" title="Follow-ups open now">
        <FollowUpsTable ops={ops} />
      </Section>
      <OpsHumans ops={ops} />
    </div>
  );
}
