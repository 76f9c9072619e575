// Display helpers for /ops, shared by the server tables and the browser charts.
export const dollars = (micros: number, digits = 2) => `$${(micros / 1e6).toFixed(digits)}`;
export const percent = (share: number | null, digits = 1) => (share === null || !Number.isFinite(share) ? "—" : `${(share * 100).toFixed(digits)}%`);
export const count = (n: number) => Math.round(n).toLocaleString("en");

export function seconds(value: number | null): string {
  if (value === null) return "—";
  if (value < 60) return `${value.toFixed(value < 10 ? 1 : 0)} s`;
  if (value < 3_600) return `${(value / 60).toFixed(1)} min`;
  if (value < 86_400) return `${(value / 3_600).toFixed(1)} h`;
  return `${(value / 86_400).toFixed(1)} d`;
}

/** "28 Nov 14:00" in UTC, for a chart bucket. */
export const bucketLabel = (epochSeconds: number) =>
  new Date(epochSeconds * 1000).toLocaleString("en-GB", { timeZone: "UTC", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
