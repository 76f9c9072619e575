import type { ChainVerdict } from "@/lib/audit/chain";
import type { UnchainedSummary } from "@/lib/audit/queries";

/** The result of verifying the whole hash chain when the page was loaded, and what still waits for it. */
export function AuditChainStatus({
  verdict,
  unchained,
}: {
  verdict: ChainVerdict;
  unchained: UnchainedSummary;
}) {
  return (
    <>
      <ChainVerdictView verdict={verdict} />
      {unchained.count > 0 && (
        <p
          aria-label="Not yet chained"
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
        >
          {entries(unchained.count)} written but not yet chained (oldest at{" "}
          {unchained.oldestAt?.replace("T", " ").slice(0, 19)} UTC): the appender links them in
          batches within a moment; until then they are not covered by the verification above.
        </p>
      )}
    </>
  );
}

function ChainVerdictView({ verdict }: { verdict: ChainVerdict }) {
  if (verdict.broken) {
    return (
      <section
        role="alert"
        aria-label="Chain status"
        className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-800"
      >
        <p className="font-semibold">Chain broken at #{verdict.broken.seq}</p>
        <p className="mt-1">{verdict.broken.problem}.</p>
        <p className="mt-1">
          {verdict.verifiedUpTo === null
            ? "No entry verified"
            : `Verified up to #${verdict.verifiedUpTo}`}{" "}
          · {entries(verdict.count)} in all. Entries from #{verdict.broken.seq} on cannot be
          trusted.
        </p>
      </section>
    );
  }
  return (
    <section
      role="status"
      aria-label="Chain status"
      className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900"
    >
      {verdict.count === 0 ? (
        <p>No decisions recorded yet; the chain is empty.</p>
      ) : (
        <p>
          <span className="font-semibold">Chain verified up to #{verdict.verifiedUpTo}</span> ·{" "}
          {entries(verdict.count)}, each linked to the hash of the one before.
        </p>
      )}
    </section>
  );
}

const entries = (n: number) => `${n} ${n === 1 ? "entry" : "entries"}`;
