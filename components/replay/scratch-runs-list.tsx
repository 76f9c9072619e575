import Link from "next/link";
import type { ScratchSummary } from "@/lib/replay/queries";

/** Earlier replays and re-runs of a run, each opening the side-by-side comparison. */
export function ScratchRunsList({ runId, items }: { runId: string; items: ScratchSummary[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="mt-3 space-y-1 text-sm" aria-label="Earlier replays">
      {items.map((s) => (
        <li key={s.id}>
          <Link href={`/runs/${runId}/replays/${s.id}`} className="underline">
            {s.kind === "replay" ? "Replay" : `Re-run with settings v${s.version}`} · {s.status} ·{" "}
            {s.divergences === 0
              ? "no divergence"
              : `${s.divergences} difference${s.divergences === 1 ? "" : "s"}`}
          </Link>{" "}
          <span className="text-slate-500">
            {s.requestedBy ?? "someone"}, {s.at.slice(0, 19).replace("T", " ")} UTC
          </span>
        </li>
      ))}
    </ul>
  );
}
