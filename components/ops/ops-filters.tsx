import { WINDOW_KINDS, type OpsWindow } from "@/lib/ops/window";
import { minuteString } from "@/lib/ops/window";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

const FIELD = "mt-1 w-auto text-sm text-slate-900";
const LABEL = "flex flex-col text-xs font-medium text-slate-600";

/** A GET form (works without JavaScript): window, custom range, agent, settings version. */
export function OpsFilters({
  window,
  agents,
  agent,
  version,
}: {
  window: OpsWindow;
  agents: readonly string[];
  agent?: string;
  version?: number;
}) {
  return (
    <form
      method="get"
      action="/ops"
      className="flex flex-wrap items-end gap-2 text-sm"
      aria-label="Ops filters"
    >
      <label className={LABEL}>
        Window
        <Select name="window" defaultValue={window.kind} className={FIELD}>
          {WINDOW_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === "custom" ? "Custom" : `Last ${k}`}
            </option>
          ))}
        </Select>
      </label>
      <label className={LABEL}>
        From (UTC, custom)
        <Input
          name="from"
          type="datetime-local"
          defaultValue={window.kind === "custom" ? minuteString(window.from) : ""}
          className={FIELD}
        />
      </label>
      <label className={LABEL}>
        To (UTC, custom)
        <Input
          name="to"
          type="datetime-local"
          defaultValue={window.kind === "custom" ? minuteString(window.to) : ""}
          className={FIELD}
        />
      </label>
      <label className={LABEL}>
        Agent
        <Select name="agent" defaultValue={agent ?? ""} className={FIELD}>
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
          defaultValue={version ?? ""}
          className={`${FIELD} w-16`}
        />
      </label>
      <Button type="submit" variant="secondary" size="sm" className="px-3 py-1">
        Show
      </Button>
    </form>
  );
}
