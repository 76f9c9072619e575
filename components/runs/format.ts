// Display helpers for run pages (money and times come from lib/format).

export function formatVersion(version: number | null): string {
  return version ? `v${version}` : "v0 (defaults)";
}
