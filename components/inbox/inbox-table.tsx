"use client";

import Link from "next/link";
import type { InboxItem } from "@/lib/approvals/queries";
import { formatAge, formatTimeLeft } from "@/lib/format";
import { useNow } from "./use-now";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { Checkbox } from "@/components/ui/checkbox";

export function InboxTable({
  items,
  selectedId,
  ticked,
  onSelect,
  onTick,
  onTickAll,
  compact = false,
}: {
  items: InboxItem[];
  selectedId: string | null;
  ticked: ReadonlySet<string>;
  onSelect: (id: string) => void;
  onTick: (id: string) => void;
  onTickAll: (tick: boolean) => void;
  /** Beside the packet: only what tells items apart; the packet shows the rest. */
  compact?: boolean;
}) {
  const now = useNow();
  const wideOnly = compact ? "hidden" : "";
  const allTicked = items.length > 0 && items.every((i) => ticked.has(i.id));
  return (
    <TableScroll>
      <Table className="mt-4 overflow-hidden">
        <THead>
          <tr>
            <th className="w-8 px-3 py-2">
              <Checkbox
                aria-label="Select all on this page"
                checked={allTicked}
                onChange={(e) => onTickAll(e.target.checked)}
              />
            </th>
            <Th className={wideOnly}>Agent</Th>
            <Th>Tool</Th>
            <Th>Proposed</Th>
            <Th>Why it waits</Th>
            <Th className={wideOnly}>Confidence</Th>
            <Th className={wideOnly}>Customer</Th>
            <Th className={wideOnly}>Age</Th>
            <Th>Time left</Th>
          </tr>
        </THead>
        <tbody>
          {items.map((item) => {
            const selected = item.id === selectedId;
            return (
              <tr
                key={item.id}
                aria-current={selected ? "true" : undefined}
                tabIndex={-1}
                onClick={() => onSelect(item.id)}
                className={`border-t border-slate-100 ${selected ? "bg-sky-50 outline-2 -outline-offset-2 outline-sky-500" : `${DUE_ROW[item.dueState ?? "on_time"]} hover:bg-slate-50`}`}
              >
                <Td>
                  <Checkbox
                    aria-label={`Select ${item.tool} ${item.summary}`}
                    checked={ticked.has(item.id)}
                    onChange={() => onTick(item.id)}
                  />
                </Td>
                <Td className={wideOnly}>{item.agent}</Td>
                <Td className="font-mono">{item.tool}</Td>
                <Td>
                  <Link
                    href={`/inbox/${item.id}`}
                    // Opening the page is not selecting the row: a selection rewrites the address, which would race the navigation.
                    onClick={(e) => e.stopPropagation()}
                    className="font-medium text-slate-900 underline-offset-2 hover:underline"
                  >
                    {item.summary}
                  </Link>
                  {item.claim && (
                    <span
                      className={`mt-0.5 block text-xs ${item.claim.mine ? "text-sky-700" : "text-amber-700"}`}
                    >
                      {item.claim.mine ? "You are on this" : `${item.claim.holderName} is on this`}
                    </span>
                  )}
                </Td>
                <Td>
                  {item.reasons.map((r) => (
                    <span
                      key={r}
                      className="mr-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800"
                    >
                      {r}
                    </span>
                  ))}
                </Td>
                <Td className={`text-slate-600 ${wideOnly}`}>
                  {item.confidence === null ? "—" : `${Math.round(item.confidence * 100)}%`}
                </Td>
                <Td className={`text-slate-600 ${wideOnly}`}>{item.requestedBy}</Td>
                <Td className={`text-slate-600 ${wideOnly}`} suppressHydrationWarning>
                  {formatAge(item.createdAt, now)}
                </Td>
                <Td className="text-slate-600" suppressHydrationWarning>
                  {item.status === "pending"
                    ? formatTimeLeft(item.expiresAt, now)
                    : `${item.status}${item.decidedBy ? ` by ${item.decidedBy}` : ""}`}
                  <QueueAndDue item={item} />
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </TableScroll>
  );
}

/** A queue's SLA in the list: near its due time the row is highlighted, past it the row says so (and that it was escalated). */
const DUE_ROW = { on_time: "", near: "bg-amber-50", overdue: "bg-red-50" } as const;

function QueueAndDue({ item }: { item: InboxItem }) {
  if (!item.team && !item.dueState) return null;
  return (
    <span className="mt-0.5 block text-xs">
      {item.team && <span className="text-slate-500">{item.team} queue</span>}
      {item.dueState === "near" && (
        <span className="ml-1 font-medium text-amber-800">· due soon</span>
      )}
      {item.dueState === "overdue" && (
        <span className="ml-1 font-medium text-red-700">
          · past its time to decide{item.escalatedAt ? ", escalated" : ""}
        </span>
      )}
    </span>
  );
}
