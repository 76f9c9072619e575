"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { queryKeys } from "@/lib/query-keys";
import { fetchPacketFacts } from "./packet-api";
import { useNow } from "./use-now";
import { formatAgo } from "@/lib/format";

/** Items related to this one (same customer, same record, same tool with similar arguments), pending and recent. */
export function RelatedItems({ approvalId }: { approvalId: string }) {
  const now = useNow();
  const { data } = useQuery({
    queryKey: queryKeys.packetFacts(approvalId),
    queryFn: () => fetchPacketFacts(approvalId),
  });
  if (!data) return null;
  return (
    <section
      aria-labelledby="related-title"
      className="rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="related-title" className="text-sm font-semibold uppercase text-slate-500">
        Related items
      </h2>
      {data.related.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">
          No pending or recent item shares this customer, record or call.
        </p>
      ) : (
        <ul className="mt-2 space-y-1 text-sm">
          {data.related.map((item) => (
            <li key={item.id}>
              <Link href={`/inbox/${item.id}`} className="underline">
                <span className="font-mono">{item.tool}</span> · {item.summary}
              </Link>{" "}
              <span className="text-slate-600" suppressHydrationWarning>
                —{" "}
                {item.status === "pending"
                  ? `pending, proposed ${formatAgo(item.createdAt, now)}`
                  : `${item.status}${item.decidedByName ? ` by ${item.decidedByName}` : ""}${item.decidedAt ? ` ${formatAgo(item.decidedAt, now)}` : ""}`}{" "}
                ({item.why.join(", ")})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
