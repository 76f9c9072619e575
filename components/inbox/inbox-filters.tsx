"use client";

import { REASON_FILTERS, type FilterOptions, type InboxFilterState } from "./inbox-api";
import { Select } from "@/components/ui/select";

const STATUS_LABELS = {
  pending: "Pending",
  decided: "Decided",
  approved: "Approved",
  rejected: "Rejected",
  expired: "Expired",
} as const;

export function InboxFilters({
  filters,
  options,
  onChange,
}: {
  filters: InboxFilterState;
  options: FilterOptions;
  onChange: (patch: Partial<InboxFilterState>) => void;
}) {
  const tools = (filters.agent ? options.filter((a) => a.name === filters.agent) : options).flatMap(
    (a) => a.tools,
  );
  const select = "mt-1 block w-auto text-sm";
  return (
    <form
      aria-label="Filters"
      className="mt-4 flex flex-wrap items-end gap-3 text-sm"
      onSubmit={(e) => e.preventDefault()}
    >
      <label className="font-medium">
        Status
        <Select
          className={select}
          value={filters.status}
          onChange={(e) => onChange({ status: e.target.value })}
        >
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </label>
      <label className="font-medium">
        Agent
        <Select
          className={select}
          value={filters.agent}
          onChange={(e) => onChange({ agent: e.target.value, tool: "" })}
        >
          <option value="">All agents</option>
          {options.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name}
            </option>
          ))}
        </Select>
      </label>
      <label className="font-medium">
        Tool
        <Select
          className={select}
          value={filters.tool}
          onChange={(e) => onChange({ tool: e.target.value })}
        >
          <option value="">All tools</option>
          {tools.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
      </label>
      <label className="font-medium">
        Why it waits
        <Select
          className={select}
          value={filters.reason}
          onChange={(e) => onChange({ reason: e.target.value })}
        >
          <option value="">Any reason</option>
          {REASON_FILTERS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </Select>
      </label>
      <label className="font-medium">
        Sort
        <Select
          className={select}
          value={filters.sort}
          onChange={(e) => onChange({ sort: e.target.value })}
        >
          <option value="oldest">Oldest first</option>
          <option value="expiring">Expiring soonest</option>
        </Select>
      </label>
    </form>
  );
}
