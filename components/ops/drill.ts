// Links from an /ops figure to the runs behind it (/runs takes the same filters).
export type DrillScope = { agent?: string; version?: number };

export function runsHref(
  scope: DrillScope,
  extra: Record<string, string | number | undefined> = {},
): string {
  const params = new URLSearchParams();
  if (scope.agent) params.set("agent", scope.agent);
  if (scope.version !== undefined) params.set("version", String(scope.version));
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) params.set(k, String(v));
  return `/runs?${params.toString()}`;
}

export const bucketHref = (
  scope: DrillScope,
  at: number,
  bucketSeconds: number,
  extra: Record<string, string | number | undefined> = {},
) =>
  runsHref(scope, {
    from: new Date(at * 1000).toISOString(),
    to: new Date((at + bucketSeconds) * 1000).toISOString(),
    ...extra,
  });
