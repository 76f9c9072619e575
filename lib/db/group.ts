// Group commit, as databases do it for their own log: work that arrives while a group is being
// written waits, and goes with everything else waiting in the next group, one round trip and one
// transaction for all of it. A lone request goes at once, in a group of one, so nothing waits on a
// timer. Used where many reviewers act at once (lib/approvals): on two cores their decisions
// queued on the fixed cost of each statement (its round trip, executor start-up, commit), not on
// the rows written. DataLoader batches only what arrives in the same tick; this keeps filling the
// next group for as long as the current one is in flight, which is what a busy database needs.

type Waiting<I, O> = { item: I; resolve: (result: O) => void; reject: (error: unknown) => void };

export type GroupOptions<I> = {
  /** At most this many items in one group. */
  max: number;
  /** Items with the same key never share a group (e.g. two decisions on one approval). */
  key?: (item: I) => string;
};

/**
 * Returns a function that runs `item` as part of a group: `run` gets the group's items and returns
 * their results in the same order. If a group fails, each of its items is run again alone, so one
 * item's failure is reported to its caller only.
 */
export function grouped<I, O>(
  run: (items: I[]) => Promise<O[]>,
  options: GroupOptions<I>,
): (item: I) => Promise<O> {
  let waiting: Waiting<I, O>[] = [];
  let busy = false;

  const take = (): Waiting<I, O>[] => {
    const group: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    const keys = new Set<string>();
    for (const entry of waiting) {
      const key = options.key?.(entry.item);
      if (group.length < options.max && (key === undefined || !keys.has(key))) {
        if (key !== undefined) keys.add(key);
        group.push(entry);
      } else rest.push(entry);
    }
    waiting = rest;
    return group;
  };

  const settle = async (group: Waiting<I, O>[]): Promise<void> => {
    try {
      const results = await run(group.map((entry) => entry.item));
      group.forEach((entry, i) => entry.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1) group[0]!.reject(error);
      else await Promise.all(group.map((entry) => settle([entry])));
    }
  };

  const next = () => {
    if (busy || waiting.length === 0) return;
    busy = true;
    void settle(take()).finally(() => {
      busy = false;
      next();
    });
  };

  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      next();
    });
}
