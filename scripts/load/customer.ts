// One simulated customer: signs in, then sends its turns one after another, each time waiting
// for the run's answer as the chat does: by default through the live stream (GET /api/stream:
// the thread its events bring, or read again when one comes without it; a slow poll as the
// safety net),
// or, with LOAD_READ=poll, by polling the thread, until the answer appears or the turn times out.
import type { RequestRecord } from "./http";
import { Session } from "./http";
import type { LoadCustomer } from "./seed";
import { pauseAfterTurn } from "./pacing";
import { LOAD_PASSWORD } from "./seed";
import { planTurn, type PlannedTurn } from "./turns";

export type TurnRecord = PlannedTurn & {
  customer: number;
  runId: string | null;
  /** From sending to the read that showed the answer, in ms (null: no answer). */
  ms: number | null;
  /** From sending to the send's answer (a retry on another process included). */
  sentMs?: number;
  /** When the send started (performance.now() of the process that sent it): arrivals per second. */
  sentAt?: number;
  /** A send the kill cut: `kept` when the thread showed it committed, `resent` otherwise. */
  afterCut?: "kept" | "resent";
  answer: string | null;
  error?: string;
};

type ChatMessage = { author: string; text: string; runId?: string };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

export async function signInCustomer(
  baseUrls: readonly string[],
  customer: LoadCustomer,
  records: RequestRecord[],
  signal: AbortSignal,
): Promise<Session | null> {
  const session = new Session(baseUrls, records, signal, customer.index);
  try {
    return (await session.signIn(customer.email, LOAD_PASSWORD)) ? session : null;
  } catch {
    return null;
  }
}

export type ConverseOptions = {
  turns: number;
  pollMs: number;
  answerTimeoutMs: number;
  spacingMs: number;
  /** Reading and typing after turn k, before the next (scripts/load/pacing.ts); empty: none. */
  thinkMs: readonly number[];
  read: "stream" | "poll";
  /** Called as each answer is read (the kill waits for a share of them). */
  onAnswer?: () => void;
};

/**
 * While the stream is up, the thread is read on its events; without one for this long, it is read
 * anyway: the chat's own interval while its stream is up and a turn is pending (useLiveInterval's
 * 30 s in components/chat/chat-thread.tsx). It was 5 s here, six times what the chat does: at 200
 * customers whose turns take seconds, those reads were a quarter of all requests.
 */
const STREAM_SAFETY_POLL_MS = 30_000;

export async function converse(
  session: Session,
  customer: LoadCustomer,
  opts: ConverseOptions,
  signal: AbortSignal,
): Promise<TurnRecord[]> {
  const results: TurnRecord[] = [];
  const runIds = new Set<string>();
  // Stream mode: each event about the thread bumps `changes` and wakes the waiting turn; the
  // thread it brought (`pushed`) is read as the chat reads it, with no request.
  let changes = 0;
  let pushed: ChatMessage[] | null = null;
  let wake = () => {};
  let stream: { close: () => void } | null = null;
  const openStream = async () => {
    if (opts.read !== "stream") return;
    stream = await session
      .openStream(
        (event) => {
          if (event.kind !== "thread" && event.kind !== "run") return;
          if (event.threadFollows) return; // the next event brings the thread
          if (event.threadUnchanged) return; // as the chat does: nothing to read
          pushed = event.thread?.messages ?? null;
          changes += 1;
          wake();
        },
        // The process went away: the next read fails over and opens the stream again.
        () => ((stream = null), wake()),
      )
      .catch(() => null); // refused or down: this customer polls, as the chat falls back to
  };
  // A request whose connection failed (its process killed) moves the customer to another
  // process, as a load balancer would, and is tried there once.
  const onAnyProcess = async <T>(request: () => Promise<T>, moved: () => Promise<T>) => {
    try {
      return await request();
    } catch (error) {
      if (signal.aborted || !session.failover()) throw error;
      stream?.close();
      stream = null;
      await openStream();
      return moved();
    }
  };
  const nextChange = async (seen: number): Promise<"read" | "poll"> => {
    if (!stream) return (await sleep(opts.pollMs, signal), "poll");
    if (changes !== seen) return "read";
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const timedOut = await Promise.race([
      woken.then(() => false),
      sleep(STREAM_SAFETY_POLL_MS, signal).then(() => true),
    ]);
    return timedOut && changes === seen ? "poll" : "read";
  };
  const readThread = async (kind: "read" | "poll") => {
    const thread = await onAnyProcess(
      () => session.request(kind, "/api/chat"),
      () => session.request(kind, "/api/chat"),
    );
    return (thread.body as { messages?: ChatMessage[] } | null)?.messages ?? [];
  };
  const send = (text: string) =>
    session.request("send", "/api/chat", { method: "POST", json: { text } });
  // A send whose answer was lost may have committed: the thread on the other process says so
  // (this customer's own message, with a run it did not know yet), and only then is it sent again.
  const sendAgainUnlessKept = async (text: string, record: TurnRecord) => {
    const kept = (await readThread("read")).find(
      (m) => m.author === "user" && m.text === text && m.runId && !runIds.has(m.runId),
    );
    record.afterCut = kept ? "kept" : "resent";
    return kept ? { status: 200, body: { runId: kept.runId } } : send(text);
  };
  await openStream();
  try {
    for (let k = 0; k < opts.turns && !signal.aborted; k++) {
      const turn = planTurn(customer, k);
      const started = performance.now();
      const record: TurnRecord = {
        ...turn,
        customer: customer.index,
        runId: null,
        ms: null,
        answer: null,
        sentAt: started,
      };
      results.push(record);
      try {
        let seen = changes;
        const sent = await onAnyProcess(
          () => send(turn.text),
          () => sendAgainUnlessKept(turn.text, record),
        );
        const runId = (sent.body as { runId?: unknown } | null)?.runId;
        if (sent.status !== 200 || typeof runId !== "string") {
          record.error = `send answered ${sent.status}: ${JSON.stringify(sent.body).slice(0, 200)}`;
          continue;
        }
        record.runId = runId;
        runIds.add(runId);
        record.sentMs = performance.now() - started;
        while (!signal.aborted && performance.now() - started < opts.answerTimeoutMs) {
          const kind = await nextChange(seen);
          seen = changes;
          const brought = kind === "read" ? pushed : null;
          pushed = null;
          const messages = brought ?? (await readThread(kind));
          const answer = messages.find((m) => m.author === "assistant" && m.runId === runId);
          if (answer) {
            record.ms = performance.now() - started;
            record.answer = answer.text;
            opts.onAnswer?.();
            break;
          }
        }
        if (record.answer === null)
          record.error = signal.aborted
            ? "stopped at the deadline"
            : `no answer within ${opts.answerTimeoutMs / 1000} s`;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
      // The customer reads and types (think time), and stays under the per-minute limit when the
      // run asks for more turns than it allows.
      const wait = pauseAfterTurn(
        performance.now() - started,
        opts.spacingMs,
        opts.thinkMs[k] ?? 0,
      );
      if (wait > 0) await sleep(wait, signal);
    }
  } finally {
    (stream as { close: () => void } | null)?.close();
  }
  return results;
}
