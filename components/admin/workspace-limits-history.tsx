import type { WorkspaceLimits } from "@/lib/agent-settings/workspace-limits-schema";
import { limitsChanges } from "./workspace-limit-fields";

export type LimitsVersionView = { version: number; reason: string; by: string | null; at: string; limits: WorkspaceLimits };

/** Every saved version of the per-user limits, newest first, with who, when, why and what changed. */
export function WorkspaceLimitsHistory({ history, defaults }: { history: LimitsVersionView[]; defaults: WorkspaceLimits }) {
  const byVersion = new Map(history.map((h) => [h.version, h.limits]));
  return (
    <table aria-label="Limits history" className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
      <thead className="bg-slate-100 text-xs uppercase text-slate-600">
        <tr>
          <th className="px-3 py-2">Version</th>
          <th className="px-3 py-2">Who</th>
          <th className="px-3 py-2">When</th>
          <th className="px-3 py-2">Why</th>
          <th className="px-3 py-2">What changed</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h) => {
          const changes = limitsChanges(byVersion.get(h.version - 1) ?? defaults, h.limits);
          return (
            <tr key={h.version} className="border-t border-slate-100 align-top">
              <td className="px-3 py-2 font-medium">v{h.version}</td>
              <td className="px-3 py-2">{h.by ?? "—"}</td>
              <td className="px-3 py-2 whitespace-nowrap">{new Date(h.at).toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "short", timeStyle: "short" })} UTC</td>
              <td className="px-3 py-2">{h.reason}</td>
              <td className="px-3 py-2">
                {changes.length === 0 ? (
                  <span className="text-slate-500">No change</span>
                ) : (
                  <ul>
                    {changes.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
        <tr className="border-t border-slate-100 text-slate-500">
          <td className="px-3 py-2 font-medium">v0</td>
          <td className="px-3 py-2" colSpan={4}>
            The defaults in the code
          </td>
        </tr>
      </tbody>
    </table>
  );
}
