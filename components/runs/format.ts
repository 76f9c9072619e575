// Display helpers for run pages, shared by the server and the browser.
export function formatTimestamp(iso: string | null): string {
  if (!iso) return "—";
  return `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "short", timeStyle: "medium" })} UTC`;
}

export function formatDollars(micros: number): string {
  return `$${(micros / 1e6).toFixed(4)}`;
}

export function formatVersion(version: number | null): string {
  return version ? `v${version}` : "v0 (defaults)";
}

/** Short enough for a table cell: "21 Nov, 02:40:01" (UTC; the column header says so). */
export function formatCompactTimestamp(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { timeZone: "UTC", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
