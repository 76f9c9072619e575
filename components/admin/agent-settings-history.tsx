import type { AgentSettings, SettingsVersion } from "@/lib/agent-settings/settings";
import { settingsChanges } from "@/lib/agent-settings/setting-fields";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";

const GATE_LABELS: Record<string, string> = {
  passed: "eval suites passed",
  overridden: "gate overridden",
  no_suites: "no eval suites",
  not_checked: "activated by code, not checked",
};

/** Every saved version, newest first, with who, when, why and what it changed from the one before. */
export function AgentSettingsHistory({
  history,
  defaults,
}: {
  history: SettingsVersion[];
  defaults: AgentSettings;
}) {
  const complete = (s: Partial<AgentSettings>): AgentSettings => ({ ...defaults, ...s });
  const byVersion = new Map(history.map((h) => [h.version, complete(h.settings)]));
  return (
    <TableScroll>
      <Table aria-label="Version history" className="mt-3">
        <THead>
          <tr>
            <Th>Version</Th>
            <Th>Who</Th>
            <Th>When</Th>
            <Th>Why</Th>
            <Th>What changed</Th>
          </tr>
        </THead>
        <tbody>
          {history.map((h) => {
            const previous = byVersion.get(h.version - 1) ?? defaults;
            const changes = settingsChanges(previous, complete(h.settings));
            return (
              <tr key={h.version} className="border-t border-slate-100 align-top">
                <Td className="font-medium">
                  v{h.version}{" "}
                  <span
                    className={`ml-1 text-xs font-normal ${h.active ? "text-emerald-700" : "text-slate-500"}`}
                  >
                    {h.active ? "active" : (h.activations?.length ?? 0) ? "inactive" : "candidate"}
                  </span>
                </Td>
                <Td>{h.by ?? "—"}</Td>
                <Td className="whitespace-nowrap">{formatDateTime(h.at)}</Td>
                <Td>
                  {h.reason}
                  {(h.activations ?? []).map((a) => (
                    <p key={a.at} className="mt-1 text-xs text-slate-600">
                      Activated by {a.by ?? "—"}: {GATE_LABELS[a.gate] ?? a.gate}
                      {a.overrideReason && <> — “{a.overrideReason}”</>}
                      {a.failedCases.length > 0 && <> (failed: {a.failedCases.join(", ")})</>}
                    </p>
                  ))}
                </Td>
                <Td>
                  {changes.length === 0 ? (
                    <span className="text-slate-500">No change</span>
                  ) : (
                    <ul>
                      {changes.map((c) => (
                        <li key={c}>{c}</li>
                      ))}
                    </ul>
                  )}
                </Td>
              </tr>
            );
          })}
          <tr className="border-t border-slate-100 text-slate-500">
            <Td className="font-medium">v0</Td>
            <Td colSpan={4}>The defaults in the code</Td>
          </tr>
        </tbody>
      </Table>
    </TableScroll>
  );
}
