import type { ApprovalPacket } from "@/lib/approvals/queries";
import { diffArguments, showValue } from "./json-schema-form";
import { THead, Table, TableScroll } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";

/**
 * Who changed what: the arguments the agent proposed, the ones a reviewer approved, and the ones
 * that actually ran (the tool call's arguments once it started).
 */
export function Provenance({ packet }: { packet: ApprovalPacket }) {
  const {
    proposedArguments: proposed,
    approvedArguments: approved,
    executedArguments: executed,
  } = packet;
  const fields = [
    ...new Set([
      ...Object.keys(proposed),
      ...Object.keys(approved ?? {}),
      ...Object.keys(executed ?? {}),
    ]),
  ];
  const edits = approved ? diffArguments(proposed, approved) : [];
  const who = packet.decidedBy ?? "the system";
  const cell = (value: unknown, changed: boolean) => (
    <td className={`px-2 py-1 ${changed ? "bg-amber-50 font-medium" : ""}`}>{showValue(value)}</td>
  );
  return (
    <section
      aria-labelledby="provenance-title"
      className="rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="provenance-title" className="text-sm font-semibold uppercase text-slate-500">
        Provenance
      </h2>
      <TableScroll>
        <Table aria-label="Arguments: proposed, approved, executed" variant="bare" className="mt-3">
          <THead look="quiet" className="text-xs">
            <tr>
              <th className="px-2 py-1 font-medium">Field</th>
              <th className="px-2 py-1 font-medium">Proposed by the agent</th>
              <th className="px-2 py-1 font-medium">
                {packet.status === "approved" ? `Approved by ${who}` : "Approved"}
              </th>
              <th className="px-2 py-1 font-medium">Executed</th>
            </tr>
          </THead>
          <tbody>
            {fields.map((f) => {
              const approvedChanged =
                approved !== null && JSON.stringify(approved[f]) !== JSON.stringify(proposed[f]);
              const executedChanged =
                executed !== null &&
                approved !== null &&
                JSON.stringify(executed[f]) !== JSON.stringify(approved[f]);
              return (
                <tr key={f} className="border-t border-slate-100">
                  <td className="px-2 py-1 font-mono">{f}</td>
                  <td className="px-2 py-1">{showValue(proposed[f])}</td>
                  {approved ? (
                    cell(approved[f], approvedChanged)
                  ) : (
                    <td className="px-2 py-1 text-slate-500">—</td>
                  )}
                  {executed ? (
                    cell(executed[f], executedChanged)
                  ) : (
                    <td className="px-2 py-1 text-slate-500">—</td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </Table>
      </TableScroll>
      <ul className="mt-3 space-y-1 text-sm">
        {packet.status === "approved" && edits.length === 0 && (
          <li>Approved as proposed by {who}.</li>
        )}
        {edits.map((c) => (
          <li key={c.field}>
            {who} changed <span className="font-mono">{c.field}</span> from {showValue(c.before)} to{" "}
            {showValue(c.after)}
            {packet.decidedAt && ` at ${formatDateTime(packet.decidedAt)}`}.
          </li>
        ))}
        {packet.status === "rejected" && <li>Rejected by {who}: nothing was executed.</li>}
        {packet.status === "expired" && <li>Expired without a decision: nothing was executed.</li>}
        {packet.status === "approved" && !executed && (
          <li>Not executed yet (call {packet.toolCallStatus}).</li>
        )}
        {executed && <li>Executed: call {packet.toolCallStatus}.</li>}
      </ul>
    </section>
  );
}
