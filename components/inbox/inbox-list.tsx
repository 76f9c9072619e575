"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { decideMany, type BatchItemResult } from "@/lib/approvals/actions";
import type { InboxItem, InboxPage } from "@/lib/approvals/queries";
import { useLiveInterval } from "@/components/live/live-updates";
import { queryKeys } from "@/lib/query-keys";
import { BulkDecisionDialog, type PendingDecision } from "./bulk-decision-dialog";
import { DecisionResults, type LabelledResult } from "./decision-results";
import {
  fetchInboxPage,
  filtersToParams,
  type FilterOptions,
  type InboxFilterState,
} from "./inbox-api";
import { InboxFilters } from "./inbox-filters";
import { InboxTable } from "./inbox-table";
import { KeyboardHelp } from "./keyboard-help";
import { LivePacket } from "./live-packet";
import type { DecidedOutcome, PacketControls } from "./decision-panel";
import { useMediaQuery } from "@/components/ui/use-media-query";
import { useTriageKeys } from "./use-triage-keys";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

const sameFilters = (a: InboxFilterState, b: InboxFilterState) =>
  (Object.keys(a) as Array<keyof InboxFilterState>).every((k) => a[k] === b[k]);

/** Wide enough for the list and the packet side by side; narrower, the list opens the packet's own page. */
const SPLIT_PANE_QUERY = "(min-width: 1024px)";

export function InboxList({
  initial,
  initialFilters,
  initialItemId = null,
  options,
}: {
  initial: InboxPage;
  initialFilters: InboxFilterState;
  /** The item the address names (?item=), so a shared link opens the same view. */
  initialItemId?: string | null;
  options: FilterOptions;
}) {
  const router = useRouter();
  const wide = useMediaQuery(SPLIT_PANE_QUERY);
  const controls = useRef<PacketControls | null>(null);
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState(initialFilters);
  // Keyset pages go forward by cursor; the stack of cursors seen is the way back.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors.at(-1) ?? null;
  const onInitialPage = cursors.length === 1 && sameFilters(filters, initialFilters);
  // Re-read on the stream's events; polled every 2 s only while the stream is down.
  const liveInterval = useLiveInterval(2000);
  const { data, isError, error } = useQuery({
    queryKey: queryKeys.inbox(filters, cursor),
    queryFn: () => fetchInboxPage(filters, cursor),
    initialData: onInitialPage ? initial : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: liveInterval,
  });
  const items = data?.items ?? [];

  // The selection follows its item; when the item leaves the list (decided), the one that took
  // its place is selected, so `a a a` works down the queue.
  const [selection, setSelection] = useState<{ id: string | null; index: number }>(() => ({
    id: initialItemId ?? initial.items[0]?.id ?? null,
    index: Math.max(
      0,
      initial.items.findIndex((i) => i.id === initialItemId),
    ),
  }));
  const found = items.findIndex((i) => i.id === selection.id);
  const index = found >= 0 ? found : Math.min(selection.index, items.length - 1);
  const selected: InboxItem | undefined = items[index];
  // A linked item that is not on this page of the list (decided, or filtered out) still opens in the pane.
  const [linkedOutside, setLinkedOutside] = useState(
    initialItemId !== null && !initial.items.some((i) => i.id === initialItemId),
  );
  const paneId = linkedOutside ? initialItemId : (selected?.id ?? null);

  // The address names the item in view, so reloading or sharing it opens the same view.
  useEffect(() => {
    const params = filtersToParams(filters);
    if (paneId) params.set("item", paneId);
    const query = params.toString();
    window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  }, [filters, paneId]);

  // After a decision the next item is selected and focused, so the reviewer goes on with the keyboard.
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest > 0)
      document.querySelector<HTMLElement>("tbody tr[aria-current='true']")?.focus();
  }, [focusRequest, selected?.id]);
  // Moves from the latest selection, not the rendered one, so keys pressed faster than React
  // renders each still count.
  const move = (step: number) => {
    setLinkedOutside(false);
    setSelection((current) => {
      const at = items.findIndex((i) => i.id === current.id);
      const from = at >= 0 ? at : Math.min(current.index, items.length - 1);
      const to = Math.max(0, Math.min(items.length - 1, from + step));
      return items[to] ? { id: items[to].id, index: to } : current;
    });
  };

  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const tickedItems = items.filter((i) => ticked.has(i.id) && i.status === "pending");
  const toggleTick = (id: string) =>
    setTicked((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const [confirming, setConfirming] = useState<PendingDecision | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [results, setResults] = useState<LabelledResult[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  const decision = useMutation({
    mutationFn: ({
      decision,
      items: chosen,
      reason,
      acknowledged = {},
    }: PendingDecision & { reason?: string; acknowledged?: Record<string, string[]> }) =>
      decideMany({
        decision,
        reason,
        items: chosen.map((i) => ({
          approvalId: i.id,
          expectedHash: i.proposedHash,
          acknowledgedWarnings: acknowledged[i.id] ?? [],
        })),
      }),
    onSuccess: (result, { items: chosen }) => {
      setConfirming(null);
      if (!result.ok) return setFailure(result.error.message);
      setFailure(null);
      const label = new Map(chosen.map((i) => [i.id, `${i.tool} · ${i.summary}`]));
      setResults(
        result.data.map((r: BatchItemResult) => ({
          ...r,
          label: label.get(r.approvalId) ?? r.approvalId,
        })),
      );
      setTicked(new Set());
    },
    onError: () =>
      setFailure("Could not reach the server. Reload to see what was decided before trying again."),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.inboxAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.pendingCount });
    },
  });

  const changeFilters = (patch: Partial<InboxFilterState>) => {
    const next = { ...filters, ...patch };
    setFilters(next);
    setCursors([null]);
    setTicked(new Set());
  };
  const changePage = (next: Array<string | null>) => {
    setCursors(next);
    setTicked(new Set());
    setSelection({ id: null, index: 0 });
  };

  const onDecided = (outcome: DecidedOutcome) => {
    const at = items.findIndex((i) => i.id === outcome.approvalId);
    const item = items[at];
    setResults([
      { ...outcome, ok: true, label: item ? `${item.tool} · ${item.summary}` : "the item in view" },
    ]);
    const next = items[at + 1] ?? items[at - 1];
    if (at >= 0 && next) setSelection({ id: next.id, index: at });
    setLinkedOutside(false);
    setFocusRequest((n) => n + 1);
    void queryClient.invalidateQueries({ queryKey: queryKeys.inboxAll });
  };

  const decidable = selected?.status === "pending" && !decision.isPending;
  // The keys act on the packet in view. Without the pane (narrow screens) "a" and "e" open the
  // packet's own page instead: nothing is approved from a one-line summary.
  const inView = () =>
    wide && selected && controls.current?.approvalId === selected.id && !linkedOutside;
  const openPage = (suffix = "") => selected && router.push(`/inbox/${selected.id}${suffix}`);
  useTriageKeys({
    next: () => move(1),
    previous: () => move(-1),
    // Someone else's claim never blocks, but it earns a confirmation instead of a one-key approval.
    approve: () => {
      if (!decidable) return;
      // Narrow: open the packet to read it first. Wide: nothing until the packet is in view.
      if (!wide) return void openPage();
      if (!inView()) return;
      if (selected.claim && !selected.claim.mine)
        setConfirming({ decision: "approve", items: [selected] });
      else controls.current?.approve();
    },
    reject: () => decidable && setConfirming({ decision: "reject", items: [selected] }),
    edit: () =>
      selected?.status === "pending" &&
      (wide ? inView() && controls.current?.edit() : openPage("?edit=1")),
    open: () => openPage(),
    toggleTick: () => selected && toggleTick(selected.id),
    showHelp: () => setHelpOpen(true),
  });

  const total = `${(data?.total ?? 0).toLocaleString("en-GB")}${data?.totalCapped ? "+" : ""}`;
  return (
    <section aria-labelledby="inbox-title">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 id="inbox-title" className="text-xl font-semibold">
          {filters.status === "pending" ? "Pending approvals" : `Approvals: ${filters.status}`}
        </h1>
        <span
          className="rounded-full bg-slate-900 px-2 text-sm text-white"
          aria-label={`${total} matching`}
        >
          {total}
        </span>
        {isError && (
          <span role="alert" className="text-sm text-red-700">
            Live updates paused: {error.message}
          </span>
        )}
        <Button
          type="button"
          onClick={() => setHelpOpen(true)}
          variant="link"
          size="inline"
          className="ml-auto text-sm text-slate-600 hover:underline"
        >
          Keyboard shortcuts{" "}
          <kbd className="rounded border border-slate-300 px-1 font-mono text-xs">?</kbd>
        </Button>
      </div>
      <InboxFilters filters={filters} options={options} onChange={changeFilters} />

      {tickedItems.length > 0 && (
        <div
          aria-label="Bulk decision"
          role="group"
          className="mt-4 flex flex-wrap items-center gap-2 rounded-md bg-slate-900 px-3 py-2 text-sm text-white"
        >
          <span>{tickedItems.length} selected</span>
          <Button
            type="button"
            onClick={() => setConfirming({ decision: "approve", items: tickedItems })}
            variant="approve"
            size="sm"
            className="bg-emerald-600 px-2 py-1 rounded"
          >
            Approve selected
          </Button>
          <Button
            type="button"
            onClick={() => setConfirming({ decision: "reject", items: tickedItems })}
            variant="danger"
            size="sm"
            className="bg-red-600 px-2 py-1 rounded"
          >
            Reject selected
          </Button>
          <Button
            type="button"
            onClick={() => setTicked(new Set())}
            variant="link"
            size="inline"
            className="ml-auto"
          >
            Clear selection
          </Button>
        </div>
      )}
      {failure && (
        <Alert tone="error" className="mt-3">
          {failure}
        </Alert>
      )}
      <DecisionResults results={results} onDismiss={() => setResults([])} />

      <div
        className={
          wide ? "mt-4 grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] items-start gap-4" : ""
        }
      >
        <div className={wide ? "max-h-[calc(100vh-8rem)] overflow-y-auto" : ""}>
          {items.length === 0 ? (
            <p className="mt-6 rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-500">
              {filters.status === "pending"
                ? "Nothing is waiting for a decision."
                : "Nothing matches these filters."}
            </p>
          ) : (
            <InboxTable
              items={items}
              selectedId={selected?.id ?? null}
              ticked={ticked}
              compact={wide}
              onSelect={(id) => {
                setLinkedOutside(false);
                setSelection({ id, index: items.findIndex((i) => i.id === id) });
              }}
              onTick={toggleTick}
              onTickAll={(tick) =>
                setTicked(
                  tick
                    ? new Set(items.filter((i) => i.status === "pending").map((i) => i.id))
                    : new Set(),
                )
              }
            />
          )}
          <nav aria-label="Pages" className="mt-3 flex items-center gap-3 text-sm">
            <Button
              type="button"
              disabled={cursors.length === 1}
              onClick={() => changePage(cursors.slice(0, -1))}
              variant="secondary"
              size="sm"
              className="px-2 py-1 disabled:opacity-40 font-normal rounded"
            >
              Previous page
            </Button>
            <span className="text-slate-600">Page {cursors.length}</span>
            <Button
              type="button"
              disabled={!data?.nextCursor}
              onClick={() => data?.nextCursor && changePage([...cursors, data.nextCursor])}
              variant="secondary"
              size="sm"
              className="px-2 py-1 disabled:opacity-40 font-normal rounded"
            >
              Next page
            </Button>
          </nav>
        </div>
        {wide && paneId && (
          <section
            aria-label="Packet in view"
            className="max-h-[calc(100vh-8rem)] overflow-y-auto rounded-lg bg-slate-50"
          >
            <p className="mb-2 text-right text-xs">
              <a href={`/inbox/${paneId}`} className="text-slate-600 underline">
                Open on its own page
              </a>
            </p>
            <LivePacket
              key={paneId}
              id={paneId}
              layout="pane"
              controlsRef={controls}
              onDecided={onDecided}
            />
          </section>
        )}
      </div>

      <BulkDecisionDialog
        pending={confirming}
        busy={decision.isPending}
        onCancel={() => setConfirming(null)}
        onConfirm={(reason, acknowledged) =>
          confirming &&
          decision.mutate({
            ...confirming,
            acknowledged,
            ...(confirming.decision === "reject" && { reason }),
          })
        }
      />
      <KeyboardHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </section>
  );
}
