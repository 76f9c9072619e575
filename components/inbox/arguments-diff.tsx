import { showValue, type ArgumentChange } from "./json-schema-form";
import { THead, Table, TableScroll } from "@/components/ui/table";

/** The edited call against the proposed one, field by field. */
export function ArgumentsDiff({ changes }: { changes: ArgumentChange[] }) {
  return (
    <section
      aria-label="Changes against the proposed call"
      className="rounded-md border border-slate-200 bg-slate-50 p-2 text-sm"
    >
      <h3 className="text-xs font-semibold uppercase text-slate-500">
        Changes against the proposed call
      </h3>
      {changes.length === 0 ? (
        <p className="mt-1 text-slate-600">No changes yet.</p>
      ) : (
        <TableScroll>
          <Table variant="bare" className="mt-1">
            <THead look="quiet" className="text-xs">
              <tr>
                <th className="pr-2 font-medium">Field</th>
                <th className="pr-2 font-medium">Proposed</th>
                <th className="font-medium">Edited</th>
              </tr>
            </THead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.field} className="align-top">
                  <td className="pr-2 font-mono">{c.field}</td>
                  <td className="pr-2">
                    <del className="bg-red-100 text-red-800 decoration-red-400">
                      {showValue(c.before)}
                    </del>
                  </td>
                  <td>
                    <ins className="bg-emerald-100 text-emerald-800 no-underline">
                      {showValue(c.after)}
                    </ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </section>
  );
}
