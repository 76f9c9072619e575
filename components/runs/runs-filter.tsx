import type { RunStatus } from "@/lib/generated/prisma/enums";
import { ENDING_LABELS, RUN_ENDINGS } from "@/lib/ops/endings";

export type RunsFilterValues = {
  status?: RunStatus;
  agent?: string;
  version?: number;
  from?: string;
  to?: string;
  ending?: string;
  costAbove?: number;
};

const FIELD = "mt-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900";
const LABEL = "flex flex-col text-xs font-medium text-slate-600";

/** A plain GET form: works without JavaScript and keeps the filters in the address (/ops links here with them set). */
export function RunsFilter({
  statuses,
  agents,
  current,
}: {
  statuses: readonly RunStatus[];
  agents: readonly string[];
  current: RunsFilterValues;
}) {
  return (
    <form method="get" action="/runs" className="flex flex-wrap items-end gap-2 text-sm">
      <label className={LABEL}>
        Status
        <select name="status" defaultValue={current.status ?? ""} className={FIELD}>
          <option value="">All statuses</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Ending
        <select name="ending" defaultValue={current.ending ?? ""} className={FIELD}>
          <option value="">Any ending</option>
          {RUN_ENDINGS.map((e) => (
            <option key={e} value={e}>
              {ENDING_LABELS[e]}
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Agent
        <select name="agent" defaultValue={current.agent ?? ""} className={FIELD}>
          <option value="">All agents</option>
          {agents.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Version
        <input
          name="version"
          inputMode="numeric"
          defaultValue={current.version ?? ""}
          className={`${FIELD} w-16`}
        />
      </label>
      <label className={LABEL}>
        From (UTC)
        <input
          name="from"
          type="datetime-local"
          defaultValue={current.from ?? ""}
          className={FIELD}
        />
      </label>
      <label className={LABEL}>
        To (UTC)
        <input name="to" type="datetime-local" defaultValue={current.to ?? ""} className={FIELD} />
      </label>
      <label className={LABEL}>
        Cost above ($)
        <input
          name="costAbove"
          inputMode="decimal"
          defaultValue={current.costAbove ?? ""}
          className={`${FIELD} w-20`}
        />
      </label>
      <button
        type="submit"
        className="rounded-md border border-slate-300 bg-white px-3 py-1 font-medium"
      >
        Filter
      </button>
    </form>
  );
}
