// Display helpers for /ops, shared by the server tables and the browser charts.
import { formatDateTime } from "@/lib/format";
export const dollars = (micros: number, digits = 2) => `$${(micros / 1e6).toFixed(digits)}`;
export const percent = (share: number | null, digits = 1) =>
  share === null || !Number.isFinite(share) ? "—" : `${(share * 100).toFixed(digits)}%`;
export const count = (n: number) => Math.round(n).toLocaleString("en");

export function seconds(value: number | null): string {
  if (value === null) return "—";
  if (value < 60) return `${value.toFixed(value < 10 ? 1 : 0)} s`;
  if (value < 3_600) return `${(value / 60).toFixed(1)} min`;
  if (value < 86_400) return `${(value / 3_600).toFixed(1)} h`;
  return `${(value / 86_400).toFixed(1)} d`;
}

/** "28 Nov 2026, 14:00 UTC", for a chart bucket: the product's one date-and-time format. */
export const bucketLabel = (epochSeconds: number) => formatDateTime(epochSeconds * 1000);
