import { ENDING_LABELS, RUN_ENDINGS } from "@/lib/ops/endings";
import type { OpsOverview } from "@/lib/ops/overview";
import { runsHref } from "./drill";
import { count, dollars, percent, seconds } from "./format";

const TABLE = "w-full bg-white text-left text-sm";
const HEAD = "bg-slate-100 text-xs uppercase text-slate-600";
const CELL = "px-3 py-2";
const NUM = "px-3 py-2 text-right tabular-nums";

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
    <table className={TABLE} aria-label="Runs by agent and version">
      <thead className={HEAD}>
        <tr>
          <th className={CELL}>Agent</th>
          <th className={CELL}>Version</th>
          <th className={NUM}>Runs</th>
          <th className={CELL}>How they ended</th>
          <th className={NUM}>p50 / p95 duration</th>
          <th className={NUM}>Tokens per run</th>
          <th className={NUM}>Cost per run</th>
          <th className={NUM}>Intervention rate</th>
        </tr>
      </thead>
      <tbody>
        {ops.agents.map((a) => {
          const scope = { agent: a.agent, version: a.version };
          return (
            <tr key={`${a.agent}-${a.version}`} className="border-t border-slate-100">
              <td className={CELL}>{a.agent}</td>
              <td className={CELL}>v{a.version}</td>
              <td className={NUM}>
                <a className="underline" href={runsHref(scope, window)}>
                  {count(a.runs)}
                </a>
              </td>
              <td className={CELL}>
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
              </td>
              <td className={NUM}>
                <span className="whitespace-nowrap">{seconds(a.durationP50Seconds)} /</span>{" "}
                <span className="whitespace-nowrap">{seconds(a.durationP95Seconds)}</span>
              </td>
              <td className={NUM}>{count(a.tokensPerRun)}</td>
              <td className={NUM}>{dollars(a.costMicrosPerRun, 4)}</td>
              <td className={NUM}>{percent(a.interventionRate)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ApprovalsTable({ ops }: { ops: OpsOverview }) {
  if (ops.approvals.length === 0)
    return <p className="p-6 text-center text-slate-500">No parked calls in this window.</p>;
  return (
    <table className={TABLE} aria-label="Approval outcomes">
      <thead className={HEAD}>
        <tr>
          <th className={CELL}>Agent</th>
          <th className={NUM}>Parked</th>
          <th className={NUM}>Approved</th>
          <th className={NUM}>Edited</th>
          <th className={NUM}>Rejected</th>
          <th className={NUM}>Expired</th>
          <th className={NUM}>Pending</th>
          <th className={NUM}>Time to decision p50 / p95</th>
        </tr>
      </thead>
      <tbody>
        {ops.approvals.map((a) => (
          <tr key={a.agent} className="border-t border-slate-100">
            <td className={CELL}>{a.agent}</td>
            <td className={NUM}>{count(a.parked)}</td>
            <td className={NUM}>{count(a.approved)}</td>
            <td className={NUM}>{count(a.edited)}</td>
            <td className={NUM}>{count(a.rejected)}</td>
            <td className={NUM}>{count(a.expired)}</td>
            <td className={NUM}>{count(a.pending)}</td>
            <td className={NUM}>
              {seconds(a.decisionP50Seconds)} / {seconds(a.decisionP95Seconds)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FollowUpsTable({ ops }: { ops: OpsOverview }) {
  if (ops.followUps.length === 0)
    return <p className="p-6 text-center text-slate-500">No follow-ups open.</p>;
  return (
    <table className={TABLE} aria-label="Open follow-ups">
      <thead className={HEAD}>
        <tr>
          <th className={CELL}>Agent</th>
          <th className={NUM}>Open</th>
          <th className={NUM}>Median age</th>
          <th className={NUM}>Oldest</th>
        </tr>
      </thead>
      <tbody>
        {ops.followUps.map((f) => (
          <tr key={f.agent} className="border-t border-slate-100">
            <td className={CELL}>{f.agent}</td>
            <td className={NUM}>
              <a className="underline" href="/follow-ups">
                {count(f.open)}
              </a>
            </td>
            <td className={NUM}>{seconds(f.medianAgeSeconds)}</td>
            <td className={NUM}>{seconds(f.oldestSeconds)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ToolsTable({ ops }: { ops: OpsOverview }) {
  if (ops.tools.length === 0)
    return <p className="p-6 text-center text-slate-500">No tool calls in this window.</p>;
  return (
    <table className={TABLE} aria-label="Tool calls">
      <thead className={HEAD}>
        <tr>
          <th className={CELL}>Agent</th>
          <th className={CELL}>Tool</th>
          <th className={NUM}>Calls</th>
          <th className={NUM}>Succeeded</th>
          <th className={NUM}>Failed</th>
          <th className={NUM}>Failure rate</th>
          <th className={NUM}>Refused</th>
          <th className={NUM}>Rejected or expired</th>
          <th className={NUM}>Cache hits of lookups</th>
        </tr>
      </thead>
      <tbody>
        {ops.tools.map((t) => (
          <tr key={`${t.agent}-${t.tool}`} className="border-t border-slate-100">
            <td className={CELL}>{t.agent}</td>
            <td className={CELL}>{t.tool}</td>
            <td className={NUM}>{count(t.calls)}</td>
            <td className={NUM}>{count(t.succeeded)}</td>
            <td className={NUM}>{count(t.failed)}</td>
            <td className={NUM}>{percent(t.calls ? t.failed / t.calls : null)}</td>
            <td className={NUM}>{count(t.refused)}</td>
            <td className={NUM}>{count(t.rejected)}</td>
            <td className={NUM}>
              {t.cacheLookups ? `${count(t.cacheHits)} of ${count(t.cacheLookups)}` : "–"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
