// The inbox's client side of /api/approvals: filter state as the URL spells it, and fetchers
// that turn an error response into its readable message.
import { REASON_CODES, REASON_LABELS } from "@/lib/policy/call-policy";
import type { InboxPage } from "@/lib/approvals/queries";
import type { InboxKeyFilters } from "@/lib/query-keys";

export type InboxFilterState = InboxKeyFilters;
export type FilterOptions = Array<{ name: string; title: string; tools: string[] }>;

export const DEFAULT_FILTERS: InboxFilterState = {
  status: "pending",
  agent: "",
  tool: "",
  reason: "",
  sort: "oldest",
};

/** Only what differs from the defaults, so URLs stay short and shareable. */
export function filtersToParams(
  filters: InboxFilterState,
  cursor?: string | null,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_FILTERS) as Array<keyof InboxFilterState>) {
    if (filters[key] && filters[key] !== DEFAULT_FILTERS[key]) params.set(key, filters[key]);
  }
  if (cursor) params.set("cursor", cursor);
  return params;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message;
    throw new Error(message ?? "Cannot reach the server");
  }
  return body as T;
}

export function fetchInboxPage(
  filters: InboxFilterState,
  cursor: string | null,
): Promise<InboxPage> {
  return getJson<InboxPage>(`/api/approvals?${filtersToParams(filters, cursor)}`);
}

export async function fetchPendingCount(): Promise<number> {
  return (await getJson<{ pending: number }>("/api/approvals/count")).pending;
}

export const REASON_FILTERS = REASON_CODES.map((value) => ({ value, label: REASON_LABELS[value] }));
