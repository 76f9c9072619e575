// "4× this agent's usual tokens": a run far outside its agent's baseline (lib/baselines), on the
// runs list, the run page and the approvals it parks.
export type AnomalyBadgeData = { metric: string; label: string };

export function AnomalyBadges({
  badges,
  className = "",
}: {
  badges: readonly AnomalyBadgeData[];
  className?: string;
}) {
  if (badges.length === 0) return null;
  return (
    <span className={`inline-flex flex-wrap gap-1 ${className}`}>
      {badges.map((b) => (
        <span
          key={b.metric}
          title="Far outside this agent's baseline (median and MAD of its recent runs)"
          className="rounded bg-orange-100 px-1.5 py-0.5 text-xs font-medium text-orange-800"
        >
          ⚠ {b.label}
        </span>
      ))}
    </span>
  );
}
