"use client";

import Link from "next/link";
import type { InboxItem } from "@/lib/approvals/queries";
import { formatAge } from "@/lib/format";
import { formatTimeLeft } from "./time";
import { useNow } from "./use-now";

export function InboxTable({
  items,
  selectedId,
  ticked,
  onSelect,
  onTick,
  onTickAll,
}: {
  items: InboxItem[];
  selectedId: string | null;
  ticked: ReadonlySet<string>;
  onSelect: (id: string) => void;
  onTick: (id: string) => void;
  onTickAll: (tick: boolean) => void;
}) {
  const now = useNow();
  const allTicked = items.length > 0 && items.every((i) => ticked.has(i.id));
  return (
    <table className="mt-4 w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm">
      <thead className="bg-slate-100 text-xs uppercase text-slate-600">
        <tr>
          <th className="w-8 px-3 py-2">
            <input type="checkbox" aria-label="Select all on this page" checked={allTicked} onChange={(e) => onTickAll(e.target.checked)} />
          </th>
          <th className="px-3 py-2">Agent</th>
          <th className="px-3 py-2">Tool</th>
          <th className="px-3 py-2">Proposed</th>
          <th className="px-3 py-2">Why it waits</th>
          <th className="px-3 py-2">Confidence</th>
          <th className="px-3 py-2">Customer</th>
          <th className="px-3 py-2">Age</th>
          <th className="px-3 py-2">Time left</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const selected = item.id === selectedId;
          return (
            <tr
              key={item.id}
              aria-current={selected ? "true" : undefined}
              onClick={() => onSelect(item.id)}
              className={`border-t border-slate-100 ${selected ? "bg-sky-50 outline-2 -outline-offset-2 outline-sky-500" : "hover:bg-slate-50"}`}
            >
              <td className="px-3 py-2">
                <input type="checkbox" aria-label={`Select ${item.tool} ${item.summary}`} checked={ticked.has(item.id)} onChange={() => onTick(item.id)} />
              </td>
              <td className="px-3 py-2">{item.agent}</td>
              <td className="px-3 py-2 font-mono">{item.tool}</td>
              <td className="px-3 py-2">
                <Link href={`/inbox/${item.id}`} className="font-medium text-slate-900 underline-offset-2 hover:underline">
                  {item.summary}
                </Link>
                {item.claim && (
                  <span className={`mt-0.5 block text-xs ${item.claim.mine ? "text-sky-700" : "text-amber-700"}`}>
                    {item.claim.mine ? "You are on this" : `${item.claim.holderName} is on this`}
                  </span>
                )}
              </td>
              <td className="px-3 py-2">
                {item.reasons.map((r) => (
                  <span key={r} className="mr-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">
                    {r}
                  </span>
                ))}
              </td>
              <td className="px-3 py-2 text-slate-600">{item.confidence === null ? "—" : `${Math.round(item.confidence * 100)}%`}</td>
              <td className="px-3 py-2 text-slate-600">{item.requestedBy}</td>
              <td className="px-3 py-2 text-slate-600" suppressHydrationWarning>
                {formatAge(item.createdAt, now)}
              </td>
              <td className="px-3 py-2 text-slate-600" suppressHydrationWarning>
                {item.status === "pending" ? formatTimeLeft(item.expiresAt, now) : `${item.status}${item.decidedBy ? ` by ${item.decidedBy}` : ""}`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
