// Number helpers for /ops, shared by the server tables and the browser charts (money and times
// come from lib/format).
import { formatDateTime } from "@/lib/format";
export const percent = (share: number | null, digits = 1) =>
  share === null || !Number.isFinite(share) ? "—" : `${(share * 100).toFixed(digits)}%`;
export const count = (n: number) => Math.round(n).toLocaleString("en");

/** "28 Nov 2026, 14:00 UTC", for a chart bucket: the product's one date-and-time format. */
export const bucketLabel = (epochSeconds: number) => formatDateTime(epochSeconds * 1000);
