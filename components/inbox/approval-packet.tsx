import Link from "next/link";
import type { Ref } from "react";
import { TraceTimeline } from "@/components/trace/trace-timeline";
import { UntrustedInputs } from "./untrusted-inputs";
import type { ApprovalPacket } from "@/lib/approvals/queries";
import { formatAge, formatMicros } from "@/lib/format";
import { ClaimNotice } from "./claim-notice";
import { DecisionPanel, type DecidedOutcome, type PacketControls } from "./decision-panel";
import { Provenance } from "./provenance";
import { PolicyRequirement } from "./policy-requirement";
import { RelatedItems } from "./related-items";
import { formatDateTime } from "@/lib/format";

type PacketViewProps = {
  packet: ApprovalPacket;
  startEditing?: boolean;
  /** "pane": beside the inbox's list, one column with the decision on top; "page": its own page. */
  layout?: "page" | "pane";
  controlsRef?: Ref<PacketControls | null>;
  onDecided?: (outcome: DecidedOutcome) => void;
};

/**
 * An item's packet: what was asked, the exact call, why it waits, and the run so far. The
 * decision controls stay in view (sticky) however far the reviewer scrolls into the trace.
 */
export function ApprovalPacketView({
  packet,
  startEditing = false,
  layout = "page",
  controlsRef,
  onDecided,
}: PacketViewProps) {
  const pane = layout === "pane";
  return (
    <div className={pane ? "flex flex-col gap-4" : "mt-4 grid gap-6 lg:grid-cols-[1fr_22rem]"}>
      <aside
        className={
          pane
            ? "sticky top-0 z-10 space-y-3 bg-slate-50 pb-2"
            : "order-first space-y-4 self-start lg:sticky lg:top-4 lg:order-last"
        }
      >
        <ClaimNotice approvalId={packet.id} status={packet.status} initial={packet.claim} />
        <DecisionPanel
          key={packet.id}
          packet={packet}
          startEditing={startEditing}
          controlsRef={controlsRef}
          onDecided={onDecided}
        />
      </aside>
      <div className="space-y-6">
        <section
          aria-labelledby="request-title"
          className="rounded-lg border border-slate-200 bg-white p-5"
        >
          <h2 id="request-title" className="text-sm font-semibold uppercase text-slate-500">
            Customer request
          </h2>
          <blockquote className="mt-2 text-lg">“{packet.run.request}”</blockquote>
          <p className="mt-2 text-sm text-slate-600">
            {packet.run.modelProvider === "external" ? (
              // An external agent's action: no routing, no model of ours; the agent proposed it.
              <>
                {packet.run.requestedBy} · proposed by the external agent{" "}
                <strong>{packet.agent}</strong>
              </>
            ) : (
              <>
                {packet.run.requestedBy} · routed to <strong>{packet.agent}</strong> as{" "}
                {packet.run.intent} ({((packet.run.intentConfidence ?? 0) * 100).toFixed(0)}%) ·
                model {packet.run.modelProvider}
              </>
            )}{" "}
            ·{" "}
            <Link href={`/runs/${packet.run.id}`} className="underline">
              Open the run
            </Link>
          </p>
        </section>

        <section
          aria-labelledby="call-title"
          className="rounded-lg border border-slate-200 bg-white p-5"
        >
          <h2 id="call-title" className="text-sm font-semibold uppercase text-slate-500">
            Proposed call
          </h2>
          <p className="mt-2 text-lg font-medium">
            <span className="font-mono">{packet.tool}</span> · {packet.summary}
          </p>
          <p className="text-sm text-slate-600">{packet.toolDescription}</p>
          <dl className="mt-3 grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1 text-sm">
            {Object.entries(packet.proposedArguments).map(([key, value]) => (
              <div key={key} className="contents">
                <dt className="font-mono text-slate-500">{key}</dt>
                <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer text-slate-600">Arguments as JSON</summary>
            <pre
              tabIndex={0}
              className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
            >
              {JSON.stringify(packet.proposedArguments, null, 2)}
            </pre>
          </details>
          <div className="mt-4 flex flex-wrap gap-2 text-sm">
            <span className="font-medium">Why it waits:</span>
            {packet.reasons.map((r) => (
              <span key={r} className="rounded bg-amber-100 px-2 py-0.5 text-amber-800">
                {r}
              </span>
            ))}
          </div>
          <div className="mt-3">
            <PolicyRequirement policy={packet.policy} status={packet.status} />
          </div>
          <p className="mt-2 text-sm">
            <span className="font-medium">Model confidence:</span>{" "}
            {packet.confidence === null ? "not stated" : `${Math.round(packet.confidence * 100)}%`}
            {packet.rationale && <span className="text-slate-600"> — “{packet.rationale}”</span>}
          </p>
          <p className="mt-1 text-xs text-slate-500">
            Waiting {formatAge(packet.createdAt)} · expires {formatDateTime(packet.expiresAt)}
          </p>
        </section>

        {packet.status !== "pending" && <Provenance packet={packet} />}

        <RelatedItems approvalId={packet.id} />

        <UntrustedInputs inputs={packet.untrustedInputs} />

        <section
          aria-labelledby="trace-title"
          className="rounded-lg border border-slate-200 bg-white p-5"
        >
          <h2 id="trace-title" className="text-sm font-semibold uppercase text-slate-500">
            Trace
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            {packet.run.iterations} model steps · {packet.run.inputTokens + packet.run.outputTokens}{" "}
            tokens · {formatMicros(packet.run.costMicros, 4)} · run {packet.run.status}
            {packet.run.statusReason && ` (${packet.run.statusReason})`}
          </p>
          <TraceTimeline events={packet.trace} />
        </section>

        {packet.otherDecisions.length > 0 && (
          <section className="rounded-lg border border-slate-200 bg-white p-5 text-sm">
            <h2 className="font-semibold">Other calls in this run</h2>
            <ul className="mt-2 space-y-1">
              {packet.otherDecisions.map((d) => (
                <li key={d.id}>
                  <span className="font-mono">{d.tool}</span> · {d.status}
                  {d.decidedBy && ` by ${d.decidedBy}`}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </div>
  );
}
