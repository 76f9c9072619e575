import type { RunStatus } from "@/lib/generated/prisma/enums";
import { buttonClass } from "@/components/ui/button";

/** A plain GET form: works without JavaScript and keeps the filter in the address. */
export function RunsFilter({ statuses, current }: { statuses: readonly RunStatus[]; current?: RunStatus }) {
  return (
    <form method="get" action="/runs" className="flex items-end gap-2 text-sm">
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Status
        <select name="status" defaultValue={current ?? ""} className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900">
          <option value="">All statuses</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={buttonClass("secondary", "sm")}>
        Filter
      </button>
    </form>
  );
}
