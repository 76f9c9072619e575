import Link from "next/link";
import type { AuditEntryView, AuditPage } from "@/lib/audit/queries";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";

const ACTION_STYLE: Record<string, string> = {
  approved: "bg-emerald-100 text-emerald-800",
  edited: "bg-sky-100 text-sky-800",
  rejected: "bg-red-100 text-red-800",
  expired: "bg-slate-200 text-slate-700",
};

/** Audit entries, newest first, with keyset pagination. */
export function AuditTable({ page }: { page: AuditPage }) {
  if (page.entries.length === 0 && page.unchained.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-500">
        No audit entries on this page.
      </p>
    );
  }
  return (
    <section aria-label="Audit entries" className="space-y-3">
      <TableScroll>
        <Table>
          <THead>
            <tr>
              <Th>#</Th>
              <Th>When (UTC)</Th>
              <Th>Who</Th>
              <Th>Action</Th>
              <Th>Call</Th>
              <Th>Hash</Th>
            </tr>
          </THead>
          <tbody>
            {[...page.unchained, ...page.entries].map((entry) => (
              <AuditRow key={entry.key} entry={entry} />
            ))}
          </tbody>
        </Table>
      </TableScroll>
      <nav aria-label="Audit pages" className="flex items-center gap-4 text-sm">
        <span className="text-slate-600">
          {page.total} {page.total === 1 ? "entry" : "entries"}
        </span>
        {page.newer !== undefined && (
          <>
            <Link href="/admin/audit" className="underline">
              Newest
            </Link>
            <Link href={`/admin/audit?after=${page.newer}`} className="underline">
              ← Newer
            </Link>
          </>
        )}
        {page.older !== undefined && (
          <Link href={`/admin/audit?before=${page.older}`} className="underline">
            Older →
          </Link>
        )}
      </nav>
    </section>
  );
}

function AuditRow({ entry }: { entry: AuditEntryView }) {
  return (
    <tr className="border-t border-slate-100 align-top">
      <Td className="font-mono">{entry.seq ?? "—"}</Td>
      <td className="whitespace-nowrap px-3 py-2 text-slate-600">
        {entry.at.replace("T", " ").slice(0, 19)}
      </td>
      <Td>{entry.actorEmail}</Td>
      <Td>
        <span
          className={`rounded px-1.5 py-0.5 text-xs font-medium ${ACTION_STYLE[entry.action] ?? "bg-slate-100"}`}
        >
          {entry.action}
        </span>
      </Td>
      <Td>
        <div>
          {entry.tool && <span className="font-mono">{entry.tool}</span>}
          {entry.approvalId && (
            <Link
              href={`/inbox/${entry.approvalId}`}
              className="ml-2 text-xs text-slate-600 underline"
            >
              item
            </Link>
          )}
        </div>
        {entry.summary && <div className="text-xs text-slate-600">{entry.summary}</div>}
        <details className="mt-1 text-xs">
          <summary className="cursor-pointer text-slate-600">Packet</summary>
          <pre className="mt-1 max-h-80 overflow-auto rounded bg-slate-900 p-2 text-slate-100">
            {entry.payloadJson}
          </pre>
        </details>
      </Td>
      {entry.hash === null ? (
        <Td className="text-xs text-amber-700">not yet chained</Td>
      ) : (
        <Td
          className="font-mono text-xs text-slate-500"
          title={`hash ${entry.hash}\nprev ${entry.prevHash}`}
        >
          {entry.hash.slice(0, 10)}…
        </Td>
      )}
    </tr>
  );
}
