import type { AgentSettings } from "@/lib/agent-settings/settings";
import { settingsChanges } from "@/lib/agent-settings/setting-fields";
import { Td, Th, tableHeadClass } from "@/components/ui/table";

export type SettingsVersion = { version: number; reason: string; by: string | null; at: string; settings: AgentSettings };

/** Every saved version, newest first, with who, when, why and what it changed from the one before. */
export function AgentSettingsHistory({ history, defaults }: { history: SettingsVersion[]; defaults: AgentSettings }) {
  const complete = (s: Partial<AgentSettings>): AgentSettings => ({ ...defaults, ...s });
  const byVersion = new Map(history.map((h) => [h.version, complete(h.settings)]));
  return (
    <table aria-label="Version history" className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
      <thead className={tableHeadClass}>
        <tr>
          <Th>Version</Th>
          <Th>Who</Th>
          <Th>When</Th>
          <Th>Why</Th>
          <Th>What changed</Th>
        </tr>
      </thead>
      <tbody>
        {history.map((h) => {
          const previous = byVersion.get(h.version - 1) ?? defaults;
          const changes = settingsChanges(previous, complete(h.settings));
          return (
            <tr key={h.version} className="border-t border-slate-100 align-top">
              <Td className="font-medium">v{h.version}</Td>
              <Td>{h.by ?? "—"}</Td>
              <Td className="whitespace-nowrap">{new Date(h.at).toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "short", timeStyle: "short" })} UTC</Td>
              <Td>{h.reason}</Td>
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
    </table>
  );
}
