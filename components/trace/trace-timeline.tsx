import type { ApprovalPacket } from "@/lib/approvals/queries";

const KIND_STYLE: Record<string, string> = {
  model_call: "bg-indigo-100 text-indigo-800",
  tool_call: "bg-emerald-100 text-emerald-800",
  policy: "bg-amber-100 text-amber-800",
  decision: "bg-sky-100 text-sky-800",
  limit: "bg-red-100 text-red-800",
  routing: "bg-violet-100 text-violet-800",
  transition: "bg-slate-100 text-slate-700",
  anomaly: "bg-orange-100 text-orange-800",
};

/** Every step of the run in order, with its tokens and latency; details open on demand. */
export function TraceTimeline({ events }: { events: ApprovalPacket["trace"] }) {
  return (
    <ol aria-label="Run trace" className="mt-3 space-y-1 text-sm">
      {events.map((e) => (
        <li key={e.id} className="rounded border border-slate-100 px-3 py-1.5">
          <details>
            <summary className="flex cursor-pointer flex-wrap items-center gap-2">
              <span
                className={`rounded px-1.5 text-xs ${KIND_STYLE[e.kind] ?? KIND_STYLE.transition}`}
              >
                {e.kind.replace("_", " ")}
              </span>
              <span>{e.name}</span>
              <span className="ml-auto flex gap-3 text-xs text-slate-500">
                {e.inputTokens !== null && (
                  <span>
                    {e.inputTokens} in / {e.outputTokens} out tokens
                  </span>
                )}
                {e.latencyMs !== null && <span>{e.latencyMs} ms</span>}
              </span>
            </summary>
            <pre tabIndex={0} className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs">
              {JSON.stringify(e.data, null, 2)}
            </pre>
          </details>
        </li>
      ))}
    </ol>
  );
}
