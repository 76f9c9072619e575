import type { WorkspaceLimits } from "@/lib/agent-settings/workspace-limits-schema";
import { limitsChanges } from "@/lib/agent-settings/limit-fields";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";

export type LimitsVersionView = {
  version: number;
  reason: string;
  by: string | null;
  at: string;
  limits: WorkspaceLimits;
};

/** Every saved version of the per-user limits, newest first, with who, when, why and what changed. */
export function WorkspaceLimitsHistory({
  history,
  defaults,
}: {
  history: LimitsVersionView[];
  defaults: WorkspaceLimits;
}) {
  const byVersion = new Map(history.map((h) => [h.version, h.limits]));
  return (
    <TableScroll>
      <Table aria-label="Limits history" className="mt-3">
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
            const changes = limitsChanges(byVersion.get(h.version - 1) ?? defaults, h.limits);
            return (
              <tr key={h.version} className="border-t border-slate-100 align-top">
                <Td className="font-medium">v{h.version}</Td>
                <Td>{h.by ?? "—"}</Td>
                <Td className="whitespace-nowrap">{formatDateTime(h.at)}</Td>
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
      </Table>
    </TableScroll>
  );
}
