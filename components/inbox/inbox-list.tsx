"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { InboxItem } from "@/lib/approvals/queries";
import { formatAge } from "@/lib/format";
import { queryKeys } from "@/lib/query-keys";

type Page = { items: InboxItem[]; total: number; nextCursor?: string };

async function fetchInbox(): Promise<Page> {
  const response = await fetch("/api/approvals", { cache: "no-store" });
  if (!response.ok) throw new Error("Could not load the inbox");
  return response.json();
}

export function InboxList({ initial }: { initial: Page }) {
  const { data, isError } = useQuery({ queryKey: queryKeys.inbox(), queryFn: fetchInbox, initialData: initial, refetchInterval: 2000 });
  return (
    <section aria-labelledby="inbox-title">
      <div className="flex items-baseline gap-3">
        <h1 id="inbox-title" className="text-xl font-semibold">
          Pending approvals
        </h1>
        <span className="rounded-full bg-slate-900 px-2 text-sm text-white" aria-label={`${data.total} pending`}>
          {data.total}
        </span>
        {isError && <span role="alert" className="text-sm text-red-700">Live updates paused: cannot reach the server.</span>}
      </div>
      {data.items.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-500">Nothing is waiting for a decision.</p>
      ) : (
        <table className="mt-4 w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm">
          <thead className="bg-slate-100 text-xs uppercase text-slate-600">
            <tr>
              <th className="px-3 py-2">Agent</th>
              <th className="px-3 py-2">Tool</th>
              <th className="px-3 py-2">Proposed</th>
              <th className="px-3 py-2">Why it waits</th>
              <th className="px-3 py-2">Customer</th>
              <th className="px-3 py-2">Age</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((item) => (
              <tr key={item.id} className="border-t border-slate-100 hover:bg-slate-50">
                <td className="px-3 py-2">{item.agent}</td>
                <td className="px-3 py-2 font-mono">{item.tool}</td>
                <td className="px-3 py-2">
                  <Link href={`/inbox/${item.id}`} className="font-medium text-slate-900 underline-offset-2 hover:underline">
                    {item.summary}
                  </Link>
                </td>
                <td className="px-3 py-2">
                  {item.reasons.map((r) => (
                    <span key={r} className="mr-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">
                      {r}
                    </span>
                  ))}
                </td>
                <td className="px-3 py-2 text-slate-600">{item.requestedBy}</td>
                <td className="px-3 py-2 text-slate-600">{formatAge(item.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
