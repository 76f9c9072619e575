import Link from "next/link";
import type { RunToolCall } from "@/lib/runs/queries";

const CALL_STYLE: Record<string, string> = {
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  refused: "bg-red-100 text-red-800",
  rejected: "bg-red-100 text-red-800",
  expired: "bg-slate-200 text-slate-700",
  pending_approval: "bg-amber-100 text-amber-900",
};

// Focusable: a long value scrolls inside its box, and a keyboard reader must reach it too.
function Json({ value }: { value: unknown }) {
  return (
    <pre tabIndex={0} className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** Proposed → approved → executed, side by side: who changed what, and what actually ran. */
function ArgumentProvenance({
  provenance,
}: {
  provenance: NonNullable<RunToolCall["provenance"]>;
}) {
  const columns = [
    { label: "Proposed", value: provenance.proposed },
    {
      label: provenance.decidedBy ? `Approved by ${provenance.decidedBy}` : "Approved",
      value: provenance.approved,
    },
    { label: "Executed", value: provenance.executed },
  ];
  return (
    <div
      role="group"
      aria-label={`Arguments of the call: proposed, approved, executed`}
      className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-3"
    >
      {columns.map((c) => (
        // min-w-0: a long value scrolls inside its box instead of widening the page on a phone.
        <section
          key={c.label}
          aria-label={`${c.label.split(" ")[0]} arguments`}
          className="min-w-0"
        >
          <h3 className="text-xs font-medium text-slate-600">{c.label}</h3>
          {c.value === null || c.value === undefined ? (
            <p className="mt-1 text-xs text-slate-500">—</p>
          ) : (
            <Json value={c.value} />
          )}
        </section>
      ))}
    </div>
  );
}

/** Each call the agent proposed: what, with which arguments, how it ended, and its approval if it waited. */
export function RunToolCalls({ calls }: { calls: RunToolCall[] }) {
  if (calls.length === 0)
    return <p className="mt-2 text-sm text-slate-500">The agent called no tools.</p>;
  return (
    <ol aria-label="Tool calls" className="mt-3 space-y-3">
      {calls.map((call) => (
        <li key={call.id} className="rounded border border-slate-200 p-3 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono font-medium">{call.tool}</span>
            {call.irreversible && (
              <span className="rounded bg-slate-900 px-1.5 text-xs text-white">irreversible</span>
            )}
            <span
              className={`rounded px-1.5 text-xs ${CALL_STYLE[call.status] ?? "bg-sky-100 text-sky-800"}`}
            >
              {call.status.replaceAll("_", " ")}
            </span>
            <span className="text-xs text-slate-500">
              step {call.turn} · {call.attempts} {call.attempts === 1 ? "attempt" : "attempts"}
              {call.confidence !== null && ` · confidence ${Math.round(call.confidence * 100)}%`}
            </span>
            {call.approval && (
              <Link
                href={`/inbox/${call.approval.id}`}
                className="ml-auto text-xs font-medium underline"
              >
                Approval ({call.approval.status}
                {call.approval.grantId &&
                  ` by ${call.provenance?.decidedBy ?? "a reviewer"}'s standing permission, grant ${call.approval.grantId.slice(0, 8)}`}
                )
              </Link>
            )}
          </div>
          {call.rationale && <p className="mt-1 text-xs text-slate-600">“{call.rationale}”</p>}
          {call.provenance ? (
            <ArgumentProvenance provenance={call.provenance} />
          ) : (
            <details className="mt-2">
              <summary className="cursor-pointer text-xs text-slate-600">Arguments</summary>
              <Json value={call.arguments} />
            </details>
          )}
          {call.error ? (
            <p className="mt-2 text-xs text-red-800">
              <span className="font-mono font-medium">{call.error.kind}</span>: {call.error.message}
            </p>
          ) : (
            call.result !== null && (
              <details className="mt-2">
                <summary className="cursor-pointer text-xs text-slate-600">Result</summary>
                <Json value={call.result} />
              </details>
            )
          )}
        </li>
      ))}
    </ol>
  );
}
