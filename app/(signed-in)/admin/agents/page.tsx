import Link from "next/link";
import { z } from "zod";
import { jsonSchemaBounds } from "@/lib/agent-settings/setting-fields";
import { AgentSummaryTable } from "@/components/admin/agent-summary-table";
import { LIMIT_FIELDS, type LimitBounds } from "@/lib/agent-settings/limit-fields";
import { WorkspaceLimitsForm } from "@/components/admin/workspace-limits-form";
import { WorkspaceLimitsHistory } from "@/components/admin/workspace-limits-history";
import { Refusal } from "@/components/ui/refusal";
import {
  DEFAULT_WORKSPACE_LIMITS,
  effectiveLimits,
  limitsHistory,
  workspaceLimitsSchema,
} from "@/lib/agent-settings/workspace-limits";
import { pageActor } from "@/lib/auth/pages";
import { agentSummaries } from "@/lib/admin/agent-summaries";
import { ExternalAgentFormView } from "@/components/admin/external-agent-form";
import { ExternalAgentList } from "@/components/admin/external-agent-list";
import { listExternalAgents } from "@/lib/external/agents";

export const metadata = { title: "Agents · Countersign" };

export default async function AgentsPage() {
  const { actor, refused } = await pageActor("admin", "/admin/agents");
  if (refused) return <Refusal actor={actor} surface="admin console" />;
  const [agents, limits, history, external] = await Promise.all([
    agentSummaries(),
    effectiveLimits(),
    limitsHistory(),
    listExternalAgents(),
  ]);
  return (
    <div>
      <Link href="/admin" className="text-sm text-slate-600 hover:underline">
        ← Administration
      </Link>
      <h1 className="mt-2 text-xl font-semibold">Agents</h1>
      <p className="text-sm text-slate-600">
        The limits and policies new runs work under. Open an agent to change them; every change is a
        new version with who, when and why.
      </p>
      <AgentSummaryTable agents={agents} />
      <section aria-labelledby="external-title" className="mt-8 space-y-3">
        <h2 id="external-title" className="text-lg font-semibold">
          External agents
        </h2>
        <p className="text-sm text-slate-600">
          Agents that run elsewhere propose calls over <code>/api/v1/actions</code> (or the MCP
          gateway) with an agent key, and get the same policy, inbox, expiry and audit as the agents
          above.
        </p>
        <ExternalAgentList agents={external} />
        <div className="rounded-lg border border-slate-200 bg-white p-5">
          <h3 className="mb-2 text-base font-semibold">Register an external agent</h3>
          <ExternalAgentFormView />
        </div>
      </section>
      <section aria-labelledby="limits-title" className="mt-8 space-y-3">
        <h2 id="limits-title" className="text-lg font-semibold">
          Limits per user
        </h2>
        <p className="text-sm text-slate-600">
          The same for every customer, checked when they send a message: over a limit, the chat says
          which and when to try again, and nothing is started. Current limits:{" "}
          <strong>version {limits.version}</strong>
          {limits.version === 0 && " (the defaults in the code)"}.
        </p>
        <div className="rounded-lg border border-slate-200 bg-white p-5">
          <WorkspaceLimitsForm
            current={limits}
            defaults={DEFAULT_WORKSPACE_LIMITS}
            bounds={limitBounds()}
          />
        </div>
        <WorkspaceLimitsHistory history={history} defaults={DEFAULT_WORKSPACE_LIMITS} />
      </section>
    </div>
  );
}

/** Each limit's bounds, read from the schema's JSON Schema, never copied. */
function limitBounds(): LimitBounds {
  const { properties } = z.toJSONSchema(workspaceLimitsSchema, { io: "input" }) as {
    properties: Record<string, unknown>;
  };
  return Object.fromEntries(
    LIMIT_FIELDS.map((f) => {
      const bounds = jsonSchemaBounds(properties[f.key]);
      if (!bounds) throw new Error(`The limits schema gives no bounds for ${f.key}`);
      return [f.key, bounds];
    }),
  ) as LimitBounds;
}
