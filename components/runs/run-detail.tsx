import Link from "next/link";
import { TraceTimeline } from "@/components/trace/trace-timeline";
import type { RunDetail } from "@/lib/runs/queries";
import { formatVersion } from "./format";
import { AnomalyBadges } from "./anomaly-badges";
import { RunStatusBadge } from "./run-status-badge";
import { RunToolCalls } from "./run-tool-calls";
import { formatMicros, formatTimestamp } from "@/lib/format";

const SECTION = "rounded-lg border border-slate-200 bg-white p-5";
const HEADING = "text-sm font-semibold uppercase text-slate-500";

/** A run's whole story for a reviewer: request, outcome and reason, conversation, tool calls, trace. */
export function RunDetailView({ run, linkSettings }: { run: RunDetail; linkSettings: boolean }) {
  const version = formatVersion(run.agentVersion);
  return (
    <div className="mt-4 space-y-6">
      <section aria-labelledby="run-title" className={SECTION}>
        <h1 id="run-title" className={HEADING}>
          Run
        </h1>
        <blockquote className="mt-2 text-lg">“{run.request}”</blockquote>
        <p className="mt-1 text-sm text-slate-600">
          {run.requestedBy}
          {run.agent && (
            <>
              {" "}
              · routed to <strong>{run.agent}</strong>
              {run.intent &&
                ` as ${run.intent} (${Math.round((run.intentConfidence ?? 0) * 100)}%)`}
            </>
          )}{" "}
          · model {run.modelProvider}
        </p>
        <dl className="mt-4 grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Status</dt>
          <dd>
            <RunStatusBadge status={run.status} />
            <AnomalyBadges badges={run.anomalies} className="ml-2" />
          </dd>
          <dt className="text-slate-500">Reason</dt>
          <dd>{run.statusReason ?? "—"}</dd>
          {run.followUp && (
            <>
              <dt className="text-slate-500">Follow-up</dt>
              <dd>
                {run.followUp.status === "open" ? (
                  <Link href="/follow-ups" className="underline">
                    Waiting for a reply from the team
                  </Link>
                ) : (
                  `Answered by ${run.followUp.answeredBy ?? "someone"} at ${formatTimestamp(run.followUp.answeredAt)}`
                )}{" "}
                <span className="text-slate-500">({run.followUp.reason})</span>
              </dd>
            </>
          )}
          <dt className="text-slate-500">Settings version</dt>
          <dd>
            {run.agent && linkSettings ? (
              <Link href={`/admin/agents/${run.agent}`} className="underline">
                {run.agent} {version}
              </Link>
            ) : run.agent ? (
              `${run.agent} ${version}`
            ) : (
              "—"
            )}
          </dd>
          <dt className="text-slate-500">Usage</dt>
          <dd>
            {run.iterations} model {run.iterations === 1 ? "step" : "steps"} ·{" "}
            {run.inputTokens.toLocaleString("en")} in / {run.outputTokens.toLocaleString("en")} out
            tokens · {formatMicros(run.costMicros, 4)}
          </dd>
          <dt className="text-slate-500">Started</dt>
          <dd>{formatTimestamp(run.startedAt)}</dd>
          <dt className="text-slate-500">Finished</dt>
          <dd>{formatTimestamp(run.finishedAt)}</dd>
        </dl>
      </section>

      <section aria-labelledby="messages-title" className={SECTION}>
        <h2 id="messages-title" className={HEADING}>
          Conversation
        </h2>
        <ol className="mt-3 space-y-2 text-sm">
          {run.messages.map((m) => (
            <li
              key={m.id}
              className={`rounded-lg px-3 py-2 ${m.author === "user" ? "bg-slate-100" : "bg-indigo-50"}`}
            >
              <div className="text-xs text-slate-600">
                {m.author === "user" ? "Customer" : "Assistant"} · {formatTimestamp(m.at)}
              </div>
              <p className="whitespace-pre-wrap">{m.text}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="calls-title" className={SECTION}>
        <h2 id="calls-title" className={HEADING}>
          Tool calls
        </h2>
        <RunToolCalls calls={run.toolCalls} />
      </section>

      <section aria-labelledby="trace-title" className={SECTION}>
        <h2 id="trace-title" className={HEADING}>
          Trace
        </h2>
        <TraceTimeline events={run.trace} />
      </section>
    </div>
  );
}
