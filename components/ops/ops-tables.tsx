import { ENDING_LABELS, RUN_ENDINGS } from "@/lib/ops/endings";
import type { OpsOverview } from "@/lib/ops/overview";
import { runsHref } from "./drill";
import { count, percent } from "./format";
import { THead, Table, Td, Th } from "@/components/ui/table";
import { formatDuration, formatMicros } from "@/lib/format";

const NUM = "text-right tabular-nums";

export function Section({
  id,
  title,
  note,
  children,
}: {
  id: string;
  title: string;
  note?: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      {note && <p className="text-xs text-slate-600">{note}</p>}
      <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200">{children}</div>
    </section>
  );
}

/**
 * Runs per agent and settings version: how they ended (each count a link to its runs), duration,
 * tokens, cost, intervention. The endings share one cell that wraps: a column per ending made the
 * table 1,458 px wide, clipped at 1280 px.
 */
export function AgentVersionTable({ ops }: { ops: OpsOverview }) {
  const window = {
    from: ops.scope.window.from.toISOString(),
    to: ops.scope.window.to.toISOString(),
  };
  const endings = RUN_ENDINGS.filter((e) => ops.agents.some((a) => a.endings[e]));
  if (ops.agents.length === 0)
    return <p className="p-6 text-center text-slate-500">No runs in this window.</p>;
  return (
    <Table variant="plain" aria-label="Runs by agent and version">
      <THead>
        <tr>
          <Th>Agent</Th>
          <Th>Version</Th>
          <Th className={NUM}>Runs</Th>
          <Th>How they ended</Th>
          <Th className={NUM}>p50 / p95 duration</Th>
          <Th className={NUM}>Tokens per run</Th>
          <Th className={NUM}>Cost per run</Th>
          <Th className={NUM}>Intervention rate</Th>
        </tr>
      </THead>
      <tbody>
        {ops.agents.map((a) => {
          const scope = { agent: a.agent, version: a.version };
          return (
            <tr key={`${a.agent}-${a.version}`} className="border-t border-slate-100">
              <Td>{a.agent}</Td>
              <Td>v{a.version}</Td>
              <Td className={NUM}>
                <a className="underline" href={runsHref(scope, window)}>
                  {count(a.runs)}
                </a>
              </Td>
              <Td>
                <ul
                  className="flex min-w-64 flex-wrap gap-x-3 gap-y-1 text-xs"
                  aria-label={`How runs of ${a.agent} v${a.version} ended`}
                >
                  {endings
                    .filter((e) => a.endings[e])
                    .map((e) => (
                      <li key={e} className="whitespace-nowrap">
                        <span className="text-slate-600">{ENDING_LABELS[e]}</span>{" "}
                        <a
                          className="tabular-nums underline"
                          href={runsHref(scope, { ...window, ending: e })}
                        >
                          {count(a.endings[e]!)}
                        </a>
                      </li>
                    ))}
                </ul>
              </Td>
              <Td className={NUM}>
                <span className="whitespace-nowrap">{formatDuration(a.durationP50Seconds)} /</span>{" "}
                <span className="whitespace-nowrap">{formatDuration(a.durationP95Seconds)}</span>
              </Td>
              <Td className={NUM}>{count(a.tokensPerRun)}</Td>
              <Td className={NUM}>{formatMicros(a.costMicrosPerRun, 4)}</Td>
              <Td className={NUM}>{percent(a.interventionRate)}</Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

export function ApprovalsTable({ ops }: { ops: OpsOverview }) {
  if (ops.approvals.length === 0)
    return <p className="p-6 text-center text-slate-500">No parked calls in this window.</p>;
  return (
    <Table variant="plain" aria-label="Approval outcomes">
      <THead>
        <tr>
          <Th>Agent</Th>
          <Th className={NUM}>Parked</Th>
          <Th className={NUM}>Approved</Th>
          <Th className={NUM}>Edited</Th>
          <Th className={NUM}>Rejected</Th>
          <Th className={NUM}>Expired</Th>
          <Th className={NUM}>Pending</Th>
          <Th className={NUM}>Time to decision p50 / p95</Th>
        </tr>
      </THead>
      <tbody>
        {ops.approvals.map((a) => (
          <tr key={a.agent} className="border-t border-slate-100">
            <Td>{a.agent}</Td>
            <Td className={NUM}>{count(a.parked)}</Td>
            <Td className={NUM}>{count(a.approved)}</Td>
            <Td className={NUM}>{count(a.edited)}</Td>
            <Td className={NUM}>{count(a.rejected)}</Td>
            <Td className={NUM}>{count(a.expired)}</Td>
            <Td className={NUM}>{count(a.pending)}</Td>
            <Td className={NUM}>
              {formatDuration(a.decisionP50Seconds)} / {formatDuration(a.decisionP95Seconds)}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function FollowUpsTable({ ops }: { ops: OpsOverview }) {
  if (ops.followUps.length === 0)
    return <p className="p-6 text-center text-slate-500">No follow-ups open.</p>;
  return (
    <Table variant="plain" aria-label="Open follow-ups">
      <THead>
        <tr>
          <Th>Agent</Th>
          <Th className={NUM}>Open</Th>
          <Th className={NUM}>Median age</Th>
          <Th className={NUM}>Oldest</Th>
        </tr>
      </THead>
      <tbody>
        {ops.followUps.map((f) => (
          <tr key={f.agent} className="border-t border-slate-100">
            <Td>{f.agent}</Td>
            <Td className={NUM}>
              <a className="underline" href="/follow-ups">
                {count(f.open)}
              </a>
            </Td>
            <Td className={NUM}>{formatDuration(f.medianAgeSeconds)}</Td>
            <Td className={NUM}>{formatDuration(f.oldestSeconds)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function ToolsTable({ ops }: { ops: OpsOverview }) {
  if (ops.tools.length === 0)
    return <p className="p-6 text-center text-slate-500">No tool calls in this window.</p>;
  return (
    <Table variant="plain" aria-label="Tool calls">
      <THead>
        <tr>
          <Th>Agent</Th>
          <Th>Tool</Th>
          <Th className={NUM}>Calls</Th>
          <Th className={NUM}>Succeeded</Th>
          <Th className={NUM}>Failed</Th>
          <Th className={NUM}>Failure rate</Th>
          <Th className={NUM}>Refused</Th>
          <Th className={NUM}>Rejected or expired</Th>
          <Th className={NUM}>Cache hits of lookups</Th>
        </tr>
      </THead>
      <tbody>
        {ops.tools.map((t) => (
          <tr key={`${t.agent}-${t.tool}`} className="border-t border-slate-100">
            <Td>{t.agent}</Td>
            <Td>{t.tool}</Td>
            <Td className={NUM}>{count(t.calls)}</Td>
            <Td className={NUM}>{count(t.succeeded)}</Td>
            <Td className={NUM}>{count(t.failed)}</Td>
            <Td className={NUM}>{percent(t.calls ? t.failed / t.calls : null)}</Td>
            <Td className={NUM}>{count(t.refused)}</Td>
            <Td className={NUM}>{count(t.rejected)}</Td>
            <Td className={NUM}>
              {t.cacheLookups ? `${count(t.cacheHits)} of ${count(t.cacheLookups)}` : "–"}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
