// The one place that writes what a customer reads about their parked, approved, edited, rejected,
// expired, failed and unconfirmed calls, and about a run that stopped. Pure: every sentence is
// built from what a tool says of its call for the customer (ToolSpec.describeForCustomer, through
// ./describe.ts) and from recorded facts, never from a tool's name, raw arguments or error text.

/** A list as a sentence reads it: "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** A reviewer's words, quoted whole, with the sentence closed after the quote when they did not close it. */
export function quoteWhole(words: string): string {
  const text = words.trim().replace(/\s+/g, " ");
  return /[.!?]$/.test(text) ? `“${text}”` : `“${text}”.`;
}

/** What the run says when it parks: the calls that wait, each in the customer's words. */
export function parkedMessage(waiting: readonly string[]): string {
  const what =
    waiting.length > 1
      ? `${waiting.length} things: ${listOf(waiting)}`
      : (waiting[0] ?? "this request");
  return `Before I go ahead, a member of our team needs to confirm ${what}. I'll tell you here as soon as they decide.`;
}

const WAITING_SHOWN = 5;

/** The thread's line while calls wait: what waits, not just that something does. Null when nothing waits. */
export function waitingLine(waiting: readonly string[]): string | null {
  if (waiting.length === 0) return null;
  if (waiting.length === 1) return `1 request is waiting for our team: ${waiting[0]}.`;
  const shown = waiting.slice(0, WAITING_SHOWN);
  const more = waiting.length - shown.length;
  return `${waiting.length} requests are waiting for our team: ${shown.join(", ")}${more > 0 ? `, and ${more} more` : ""}.`;
}

/** A parked call once a person (or the clock) decided it, and what became of it. */
export type DecidedCall =
  | { decision: "rejected"; what: string; reason: string | null }
  | { decision: "expired"; what: string }
  | {
      decision: "approved";
      /** The call as approved (after an edit, the edited one). */
      what: string;
      /** Set when a reviewer changed the call: what "they" did, e.g. "set the refund to €40.00 instead of €89.90"; null when the change is nothing the customer gets. */
      edit?: { change: string | null; note: string | null };
      outcome: "done" | "failed" | "unconfirmed" | "not_run";
      /** For a failure: the customer-safe sentence (ToolError.customerMessage or the kind's). */
      failure?: string;
      /** A person was asked to follow the failure up (an irreversible call's failure queues one). */
      followUp?: boolean;
    };

/** What the product tells the customer about one decided call, the same for every agent and every decision path. */
export function decisionMessage(call: DecidedCall): string {
  if (call.decision === "rejected") {
    const reason = call.reason?.trim() ? ` Their reason: ${quoteWhole(call.reason)}` : "";
    return `Our team did not approve ${call.what}.${reason} Nothing has been done.`;
  }
  if (call.decision === "expired") {
    return `Nobody from our team could confirm ${call.what} in time, so nothing has been done. A member of our team will follow up here.`;
  }
  const edit = call.edit;
  const note = edit?.note?.trim() ? ` Their note: ${quoteWhole(edit.note)}` : "";
  const failure = call.failure ? ` ${call.failure}` : "";
  const followUp = call.followUp ? ", and a member of our team will follow up here" : "";
  if (edit?.change) {
    const changed = `Our team changed your request before approving it: they ${edit.change}.${note}`;
    switch (call.outcome) {
      case "done":
        return `${changed} It's done.`;
      case "not_run":
        return `${changed} It was not carried out, so nothing has changed.`;
      case "unconfirmed":
        return `${changed} I could not confirm that it went through.${failure} A member of our team is checking and will follow up here.`;
      case "failed":
        return `${changed} It did not go through.${failure} Nothing has changed${followUp}.`;
    }
  }
  const approved = `Our team approved ${call.what}${edit ? " (they adjusted only our own notes on it)" : ""}`;
  const after = edit ? note : "";
  switch (call.outcome) {
    case "done":
      return `${approved}, and it's done.${after}`;
    case "not_run":
      return `${approved}, but it was not carried out, so nothing has changed.${after}`;
    case "unconfirmed":
      return `${approved}, but I could not confirm that it went through.${failure} A member of our team is checking and will follow up here.${after}`;
    case "failed":
      return `${approved}, but it did not go through.${failure} Nothing has changed${followUp}.${after}`;
  }
}

/** The calls of a run that stopped, each in the customer's words. */
export type CustomerOutcomes = { done: string[]; unknown: string[]; notDone: string[] };

const HONEST_ENDINGS = {
  terminated: "I had to stop before finishing this request",
  escalated: "This needs a person: I've handed your request to a member of our team",
  failed: "Something went wrong on our side while handling this",
  paused: "This assistant has been paused by our team, so I stopped before finishing this request",
};
const FOLLOW_UP = {
  terminated: "A member of our team has been told and will follow up here.",
  escalated: "They will follow up here.",
  failed: "A member of our team will follow up here.",
  paused: "A member of our team has been told and will follow up here.",
};
export type Ending = keyof typeof HONEST_ENDINGS;

/** The message a run that did not complete leaves the customer, from what its calls did. */
export function endingMessage(ending: Ending, outcomes: CustomerOutcomes): string {
  const parts: string[] = [];
  if (
    outcomes.done.length === 0 &&
    outcomes.unknown.length === 0 &&
    outcomes.notDone.length === 0
  ) {
    parts.push(`${HONEST_ENDINGS[ending]}, and nothing irreversible was done.`);
  } else {
    parts.push(`${HONEST_ENDINGS[ending]}.`);
    if (outcomes.done.length) parts.push(`What was done: ${listOf(outcomes.done)}.`);
    if (outcomes.notDone.length)
      parts.push(`Approved but not carried out, so nothing changed: ${listOf(outcomes.notDone)}.`);
    if (outcomes.unknown.length)
      parts.push(
        `What I could not confirm, and a member of our team is checking: ${listOf(outcomes.unknown)}.`,
      );
  }
  parts.push(FOLLOW_UP[ending]);
  return parts.join(" ");
}

/** The answer to a request no agent may act on: said plainly, with what the desk can do instead. */
export function outOfScopeMessage(canHelpWith: readonly string[]): string {
  const offer = canHelpWith.length ? ` I can help with ${listOf(canHelpWith)}.` : "";
  return `I can't help with that: it isn't something this assistant may do, and nothing has been done.${offer}`;
}
