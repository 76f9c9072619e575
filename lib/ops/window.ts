import { z } from "zod";

// The time window /ops (and its drill-down into /runs) looks at: the last hour, day or week, or
// a custom range. Pure, so the page, the queries and the tests agree on where a window starts
// and how wide each chart bucket is.

export const WINDOW_KINDS = ["hour", "day", "week", "custom"] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

const SPAN_SECONDS: Record<Exclude<WindowKind, "custom">, number> = {
  hour: 3_600,
  day: 86_400,
  week: 7 * 86_400,
};
/** Chart buckets a person can read: about 24 to 170 points per chart. */
const BUCKET_CHOICES = [60, 300, 900, 3_600, 6 * 3_600, 86_400];
const MAX_CUSTOM_DAYS = 92;

export type OpsWindow = { kind: WindowKind; from: Date; to: Date; bucketSeconds: number };

const isoDate = (field: string) =>
  z
    .string()
    .refine(
      (s) => !Number.isNaN(Date.parse(s.length === 16 ? `${s}:00Z` : s)),
      `${field} must be a date and time, like 2026-12-01T09:00`,
    )
    .transform((s) => new Date(s.length === 16 ? `${s}:00Z` : s));

export const windowQuery = z
  .object({
    window: z
      .enum(WINDOW_KINDS, { error: "window must be hour, day, week or custom" })
      .default("day"),
    from: isoDate("from").optional(),
    to: isoDate("to").optional(),
  })
  .superRefine((q, ctx) => {
    if (
      q.window !== "custom" ||
      (q.from && !(q.from instanceof Date)) ||
      (q.to && !(q.to instanceof Date))
    )
      return;
    if (!q.from)
      ctx.addIssue({ code: "custom", path: ["from"], message: "A custom window needs from" });
    if (q.from && q.to && q.to <= q.from)
      ctx.addIssue({ code: "custom", path: ["to"], message: "to must be after from" });
    if (
      q.from &&
      (q.to ?? new Date()).getTime() - q.from.getTime() > MAX_CUSTOM_DAYS * 86_400_000
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["from"],
        message: `A custom window spans at most ${MAX_CUSTOM_DAYS} days`,
      });
    }
  });
export type WindowQuery = z.infer<typeof windowQuery>;

/** The smallest bucket that keeps a chart under ~170 points. */
export function bucketFor(spanSeconds: number): number {
  return BUCKET_CHOICES.find((b) => spanSeconds / b <= 170) ?? BUCKET_CHOICES.at(-1)!;
}

export function resolveWindow(query: WindowQuery, now = new Date()): OpsWindow {
  if (query.window === "custom" && query.from) {
    const to = query.to ?? now;
    return {
      kind: "custom",
      from: query.from,
      to,
      bucketSeconds: bucketFor((to.getTime() - query.from.getTime()) / 1000),
    };
  }
  const kind = query.window === "custom" ? "day" : query.window;
  const span = SPAN_SECONDS[kind];
  return {
    kind,
    from: new Date(now.getTime() - span * 1000),
    to: now,
    bucketSeconds: bucketFor(span),
  };
}

/** `2026-12-01T09:00:00.000Z` → `2026-12-01T09:00`, the form /runs and the custom inputs take. */
export const minuteString = (d: Date) => d.toISOString().slice(0, 16);
