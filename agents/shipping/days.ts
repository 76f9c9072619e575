// The day a customer asks for, as the carrier wants it (YYYY-MM-DD): "2026-12-18", "tomorrow",
// "in 5 days", "a week from today", "Friday", "the 18th", "18 December", "December 18th". Read
// against `today` (UTC, the carrier's calendar), always forward: a weekday or a day of the month
// is its next occurrence after today.

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const NUMBERS: Record<string, number> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
};

export const ISO_DAY = /\b(\d{4}-\d{2}-\d{2})\b/;
const MONTH = `(${MONTHS.map((m) => `${m}|${m.slice(0, 3)}`).join("|")})\\.?`;
const DAY_OF_MONTH = "(\\d{1,2})(?:st|nd|rd|th)?";

const iso = (date: Date) => date.toISOString().slice(0, 10);
const utcDay = (date: Date) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
const plusDays = (date: Date, n: number) => new Date(date.getTime() + n * 86_400_000);
const count = (word: string) => NUMBERS[word.toLowerCase()] ?? Number(word);

/** The day asked for in `text`, or null when it names none. */
export function dayAsked(text: string, now = new Date()): string | null {
  const today = utcDay(now);
  const isoDay = ISO_DAY.exec(text)?.[1];
  if (isoDay) return isoDay;
  const lower = text.toLowerCase();
  if (/\bday after tomorrow\b/.test(lower)) return iso(plusDays(today, 2));
  if (/\btomorrow\b/.test(lower)) return iso(plusDays(today, 1));
  const weeks = /\b(?:in (a|one|two) weeks?|(a|one|two) weeks? from (?:now|today))\b/.exec(lower);
  if (weeks) return iso(plusDays(today, 7 * count(weeks[1] ?? weeks[2]!)));
  const days = /\b(?:in (\d{1,2}|[a-z]+) days?|(\d{1,2}|[a-z]+) days? from (?:now|today))\b/.exec(
    lower,
  );
  if (days) {
    const n = count(days[1] ?? days[2]!);
    if (Number.isInteger(n) && n > 0) return iso(plusDays(today, n));
  }
  const dayMonth = new RegExp(`\\b${DAY_OF_MONTH} (?:of )?${MONTH}\\b`).exec(lower);
  const monthDay = new RegExp(`\\b${MONTH} ${DAY_OF_MONTH}\\b`).exec(lower);
  if (dayMonth || monthDay) {
    const day = Number(dayMonth ? dayMonth[1] : monthDay![2]);
    const month = monthIndex(dayMonth ? dayMonth[2]! : monthDay![1]!);
    for (const year of [today.getUTCFullYear(), today.getUTCFullYear() + 1]) {
      const date = new Date(Date.UTC(year, month, day));
      if (date.getUTCMonth() === month && date > today) return iso(date);
    }
    return null;
  }
  const ordinal = /\bthe (\d{1,2})(?:st|nd|rd|th)\b/.exec(lower);
  if (ordinal) {
    const day = Number(ordinal[1]);
    for (let ahead = 0; ahead < 3; ahead++) {
      const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + ahead, day));
      if (date.getUTCDate() === day && date > today) return iso(date);
    }
    return null;
  }
  const weekday = new RegExp(`\\b(${WEEKDAYS.join("|")})\\b`).exec(lower);
  if (weekday) {
    const ahead = (WEEKDAYS.indexOf(weekday[1]!) - today.getUTCDay() + 7) % 7 || 7;
    return iso(plusDays(today, ahead));
  }
  return null;
}

function monthIndex(name: string): number {
  return MONTHS.findIndex((m) => m.startsWith(name.slice(0, 3)));
}
