// One simulated customer: signs in, then sends its turns one after another, each time polling
// the thread (as the chat does) until the run's answer appears or the turn times out.
import type { RequestRecord } from "./http";
import { Session } from "./http";
import type { LoadCustomer } from "./seed";
import { LOAD_PASSWORD } from "./seed";
import { planTurn, type PlannedTurn } from "./turns";

export type TurnRecord = PlannedTurn & {
  customer: number;
  runId: string | null;
  /** From sending to the poll that showed the answer, in ms (null: no answer). */
  ms: number | null;
  answer: string | null;
  error?: string;
};

type ChatMessage = { author: string; text: string; runId?: string };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

export async function signInCustomer(baseUrl: string, customer: LoadCustomer, records: RequestRecord[], signal: AbortSignal): Promise<Session | null> {
  const session = new Session(baseUrl, records, signal);
  try {
    return (await session.signIn(customer.email, LOAD_PASSWORD)) ? session : null;
  } catch {
    return null;
  }
}

export async function converse(
  session: Session,
  customer: LoadCustomer,
  opts: { turns: number; pollMs: number; answerTimeoutMs: number; spacingMs: number },
  signal: AbortSignal,
): Promise<TurnRecord[]> {
  const results: TurnRecord[] = [];
  for (let k = 0; k < opts.turns && !signal.aborted; k++) {
    const turn = planTurn(customer, k);
    const started = performance.now();
    const record: TurnRecord = { ...turn, customer: customer.index, runId: null, ms: null, answer: null };
    results.push(record);
    try {
      const sent = await session.request("send", "/api/chat", { method: "POST", json: { text: turn.text } });
      const runId = (sent.body as { runId?: unknown } | null)?.runId;
      if (sent.status !== 200 || typeof runId !== "string") {
        record.error = `send answered ${sent.status}: ${JSON.stringify(sent.body).slice(0, 200)}`;
        continue;
      }
      record.runId = runId;
      while (!signal.aborted && performance.now() - started < opts.answerTimeoutMs) {
        await sleep(opts.pollMs, signal);
        const thread = await session.request("poll", "/api/chat");
        const messages = (thread.body as { messages?: ChatMessage[] } | null)?.messages ?? [];
        const answer = messages.find((m) => m.author === "assistant" && m.runId === runId);
        if (answer) {
          record.ms = performance.now() - started;
          record.answer = answer.text;
          break;
        }
      }
      if (record.answer === null) record.error = signal.aborted ? "stopped at the deadline" : `no answer within ${opts.answerTimeoutMs / 1000} s`;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    // Keeps a customer under the per-minute limit when the run asks for more turns than it allows.
    const elapsed = performance.now() - started;
    if (opts.spacingMs > elapsed) await sleep(opts.spacingMs - elapsed, signal);
  }
  return results;
}
