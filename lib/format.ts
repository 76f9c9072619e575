// The one module for money and times, shared by the server, the browser and the agents (a leaf:
// it imports nothing). Two kinds of money: a customer's, in cents of their currency, and model
// spend, recorded in micro-dollars.

/** A customer's money, in cents of its currency: "€27.00". */
export function formatMoney(cents: number, currency = "EUR"): string {
  return moneyFormat(currency).format(cents / 100);
}

// One formatter per currency: building an Intl.NumberFormat costs more than formatting with it,
// and the engine formats amounts on every step that shows one (1.3% of its CPU under load).
const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(currency: string): Intl.NumberFormat {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-IE", { style: "currency", currency });
    moneyFormats.set(currency, format);
  }
  return format;
}

/**
 * Model spend, recorded in micro-dollars: "$2.50" for budgets and totals; a run's cost, often a
 * fraction of a cent, with `digits` 4 ("$0.0123").
 */
export function formatMicros(micros: number, digits = 2): string {
  return `$${(micros / 1_000_000).toFixed(digits)}`;
}

/** A duration in seconds, to one decimal in the largest unit that fits: "4.2 s", "3.5 min", "2.0 h". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 3_600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86_400) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function formatAge(from: Date | string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(from).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** How long until `expiresAt`, short: "12m left", or "expired". */
export function formatTimeLeft(expiresAt: string, now: number): string {
  const left = new Date(expiresAt).getTime() - now;
  return left <= 0 ? "expired" : `${formatAge(new Date(now), now + left)} left`;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar day (YYYY-MM-DD) as a customer reads it: "Saturday 19 December", with the year only
 * when it is not the current one. Anything that is not such a day comes back as "the day asked for".
 */
export function formatDay(day: string, now = new Date()): string {
  const m = DAY.exec(day);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day)
    return "the day asked for";
  const part = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(date);
  const year = date.getUTCFullYear() === now.getUTCFullYear() ? "" : ` ${date.getUTCFullYear()}`;
  return `${part({ weekday: "long" })} ${date.getUTCDate()} ${part({ month: "long" })}${year}`;
}

/** The start of `text` for a short label, cut only between words and marked with an ellipsis when cut. */
export function shortQuote(text: string, max = 80): string {
  const clean = text.trim().replace(/\s+/g, " ");
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max + 1);
  const end = cut.lastIndexOf(" ");
  return `${(end > max / 2 ? cut.slice(0, end) : clean.slice(0, max)).replace(/[\s,;:.!?-]+$/, "")}…`;
}

/** When a chat message was written, as its reader's clock says it: "14:05" today, "3 Dec, 14:05" before. */
export function formatMessageTime(at: Date | string, now = new Date()): string {
  const date = new Date(at);
  const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" }).format(
    date,
  );
  if (date.toDateString() === now.toDateString()) return time;
  const day = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    ...(date.getFullYear() !== now.getFullYear() && { year: "numeric" }),
  }).format(date);
  return `${day}, ${time}`;
}

/** How long ago, in words a reviewer reads at a glance: "3 s ago", "4 min ago", "2 h ago", "3 days ago". */
export function formatAgo(at: Date | string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(at).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86400);
  return `${days} ${days === 1 ? "day" : "days"} ago`;
}

/**
 * The one way a reviewer-facing page writes a moment: "7 Dec 2026, 14:05 UTC" (with `seconds`,
 * "14:05:09 UTC", where runs seconds apart must be told apart). UTC, so the
 * server and every reviewer's browser write the same words for the same moment.
 */
export function formatDateTime(
  at: Date | string | number,
  { seconds = false }: { seconds?: boolean } = {},
): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return "an unknown time";
  const day = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(date);
  const time = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds && { second: "2-digit" }),
    hourCycle: "h23",
    timeZone: "UTC",
  }).format(date);
  return `${day}, ${time} UTC`;
}

/** A step's moment, to the second (a run's steps are seconds apart), or "—" when there is none. */
export function formatTimestamp(at: Date | string | null): string {
  return at ? formatDateTime(at, { seconds: true }) : "—";
}
