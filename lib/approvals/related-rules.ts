// Which items a packet lists as related, and which pending items conflict: pure rules over what is
// known of each item, so they are tested without a database (related.ts reads the candidates).
import { recordsOf, registry } from "@/lib/agents";

export { recordsOf };

export type Candidate = {
  id: string;
  agent: string;
  tool: string;
  status: "pending" | "approved" | "rejected" | "expired";
  arguments: Record<string, unknown>;
  /** Whom the call acts for: the customer's email. */
  customer: string;
};

export type Conflict = { record: string; message: string; approvalIds: string[] };

/** "order:1042" as a reviewer reads it: "order 1042". */
export const recordInWords = (record: string) => record.replace(":", " ");

/** At least half of the argument names of both calls, and at least one, hold the same value. */
export function similarArguments(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const same = names.filter(
    (n) => a[n] !== undefined && JSON.stringify(a[n]) === JSON.stringify(b[n]),
  ).length;
  return same > 0 && same * 2 >= names.length;
}

/** Why `other` is related to `item`, in words; empty when it is not. */
export function relationOf(item: Candidate, other: Candidate): string[] {
  const why: string[] = [];
  if (other.customer === item.customer) why.push("same customer");
  const mine = new Set(recordsOf(item));
  for (const record of recordsOf(other))
    if (mine.has(record)) why.push(`same ${recordInWords(record)}`);
  if (
    other.agent === item.agent &&
    other.tool === item.tool &&
    similarArguments(item.arguments, other.arguments)
  ) {
    why.push("same tool, similar arguments");
  }
  return why;
}

const isIrreversible = (item: Candidate) =>
  registry.tool(item.agent, item.tool)?.irreversible ?? true;

/**
 * Pending irreversible calls of one tool that change the same record: approved together they may
 * do what is allowed once twice (two full refunds of one order). One conflict per record shared.
 */
export function conflictsAmong(items: Candidate[]): Conflict[] {
  const groups = new Map<string, Candidate[]>();
  for (const item of items) {
    if (item.status !== "pending" || !isIrreversible(item)) continue;
    for (const record of recordsOf(item)) {
      const key = `${item.agent}\u0000${item.tool}\u0000${record}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
  }
  return [...groups.entries()]
    .filter(([, group]) => group.length > 1)
    .map(([key, group]) => {
      const [, tool, record] = key.split("\u0000") as [string, string, string];
      return {
        record,
        approvalIds: group.map((g) => g.id),
        message: `${group.length} pending ${tool} calls change ${recordInWords(record)}: approving them all may do more than the ${recordInWords(record)} allows. Decide them one at a time.`,
      };
    });
}
