import type { RunStatus } from "@/lib/generated/prisma/enums";
import { ENDING_LABELS, RUN_ENDINGS } from "@/lib/ops/endings";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export type RunsFilterValues = {
  status?: RunStatus;
  agent?: string;
  version?: number;
  from?: string;
  to?: string;
  ending?: string;
  costAbove?: number;
};

const FIELD = "mt-1 w-auto text-sm text-slate-900";
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
        <Select name="status" defaultValue={current.status ?? ""} className={FIELD}>
          <option value="">All statuses</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s.replaceAll("_", " ")}
            </option>
          ))}
        </Select>
      </label>
      <label className={LABEL}>
        Ending
        <Select name="ending" defaultValue={current.ending ?? ""} className={FIELD}>
          <option value="">Any ending</option>
          {RUN_ENDINGS.map((e) => (
            <option key={e} value={e}>
              {ENDING_LABELS[e]}
            </option>
          ))}
        </Select>
      </label>
      <label className={LABEL}>
        Agent
        <Select name="agent" defaultValue={current.agent ?? ""} className={FIELD}>
          <option value="">All agents</option>
          {agents.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </Select>
      </label>
      <label className={LABEL}>
        Version
        <Input
          name="version"
          inputMode="numeric"
          defaultValue={current.version ?? ""}
          className={`${FIELD} w-16`}
        />
      </label>
      <label className={LABEL}>
        From (UTC)
        <Input
          name="from"
          type="datetime-local"
          defaultValue={current.from ?? ""}
          className={FIELD}
        />
      </label>
      <label className={LABEL}>
        To (UTC)
        <Input name="to" type="datetime-local" defaultValue={current.to ?? ""} className={FIELD} />
      </label>
      <label className={LABEL}>
        Cost above ($)
        <Input
          name="costAbove"
          inputMode="decimal"
          defaultValue={current.costAbove ?? ""}
          className={`${FIELD} w-20`}
        />
      </label>
      <Button type="submit" variant="secondary" size="sm" className="px-3 py-1">
        Filter
      </Button>
    </form>
  );
}
