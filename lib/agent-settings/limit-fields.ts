import type { WorkspaceLimits } from "@/lib/agent-settings/workspace-limits-schema";
import type { Bounds } from "@/lib/agent-settings/setting-fields";
import { formatMicros } from "@/lib/format";

// How each per-user limit is labelled, entered and shown; the bounds come from the schema.

export type LimitKey = keyof WorkspaceLimits;
export type LimitField = { key: LimitKey; label: string; hint: string; unit?: "dollars" };

export const LIMIT_FIELDS: readonly LimitField[] = [
  {
    key: "maxRunsInFlight",
    label: "Requests in progress per user",
    hint: "Requests one user may have the assistant working on at once. Requests waiting for a reviewer do not count.",
  },
  {
    key: "maxTurnsPerMinute",
    label: "Messages per minute per user",
    hint: "Messages one user may send in any 60 seconds.",
  },
  {
    key: "userDailyBudgetMicros",
    label: "Daily budget per user in dollars",
    hint: "Model spend of one user's requests today (UTC). $0 stops all new requests.",
    unit: "dollars",
  },
];

export function formatLimit(key: LimitKey, value: number): string {
  return key === "userDailyBudgetMicros" ? formatMicros(value) : value.toLocaleString("en");
}

const LABELS = Object.fromEntries(LIMIT_FIELDS.map((f) => [f.key, f.label])) as Record<
  LimitKey,
  string
>;

/** What changed from one version to the next, one line per limit. */
export function limitsChanges(before: WorkspaceLimits, after: WorkspaceLimits): string[] {
  return LIMIT_FIELDS.filter((f) => before[f.key] !== after[f.key]).map(
    (f) =>
      `${LABELS[f.key]}: ${formatLimit(f.key, before[f.key])} → ${formatLimit(f.key, after[f.key])}`,
  );
}

type LimitIssue = {
  code: string;
  path: PropertyKey[];
  message: string;
  maximum?: unknown;
  minimum?: unknown;
  expected?: unknown;
};

/** One schema issue in the form's words: "Messages per minute per user must be at most 600". */
export function describeLimitIssue(issue: LimitIssue): string {
  const key = String(issue.path[0] ?? "") as LimitKey;
  const field = LABELS[key] ?? "Limits";
  const bound = (value: unknown) => (LABELS[key] ? formatLimit(key, Number(value)) : String(value));
  switch (issue.code) {
    case "too_big":
      return `${field} must be at most ${bound(issue.maximum)}`;
    case "too_small":
      return `${field} must be at least ${bound(issue.minimum)}`;
    case "invalid_type":
      if (issue.expected === "int") return `${field} must be a whole number`;
      if (issue.expected === "number") return `${field} must be a number`;
      return `${field} is missing or malformed`;
    default:
      return `${field}: ${issue.message}`;
  }
}

export type LimitBounds = Record<LimitKey, Bounds>;
