// Display helpers for run pages, shared by the server and the browser.
import { formatDateTime } from "@/lib/format";

/** The product's one date-and-time format, to the second: a run's steps are seconds apart. */
export function formatTimestamp(iso: string | null): string {
  if (!iso) return "—";
  return formatDateTime(iso, { seconds: true });
}

export function formatDollars(micros: number): string {
  return `$${(micros / 1e6).toFixed(4)}`;
}

export function formatVersion(version: number | null): string {
  return version ? `v${version}` : "v0 (defaults)";
}

/** A table cell's moment, in the product's one format to the second ("21 Nov 2026, 02:40:01 UTC"). */
export const formatCompactTimestamp = formatTimestamp;
