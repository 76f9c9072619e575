import "server-only";
import { registry } from "@/lib/agents";
import type { Tx } from "@/lib/db";
import type { ToolCall } from "@/lib/generated/prisma/client";

// What a run's irreversible calls did, as recorded: the only ground for telling a customer what
// was and was not done. "Unknown" is a call that started and whose effect nobody confirmed — a
// worker died mid-call, or the system it calls timed out or failed after the request went out.

export type Outcomes = { done: string[]; unknown: string[]; notDone: string[] };

/** Failure kinds after which the external system may still have carried the write out. */
export const UNCONFIRMED_FAILURES: ReadonlySet<string> = new Set(["timeout", "upstream_error", "outcome_unknown"]);

export function isUnconfirmed(call: Pick<ToolCall, "status" | "error">): boolean {
  if (call.status === "executing") return true;
  const kind = (call.error as { kind?: unknown } | null)?.kind;
  return call.status === "failed" && typeof kind === "string" && UNCONFIRMED_FAILURES.has(kind);
}

export async function irreversibleOutcomes(tx: Tx, runId: string, agent: string | null): Promise<Outcomes> {
  const calls = await tx.toolCall.findMany({
    where: { runId, irreversible: true },
    include: { approval: { select: { status: true } } },
    orderBy: { createdAt: "asc" },
  });
  const describe = (call: ToolCall) => {
    const tool = registry.tool(agent, call.tool);
    const what = call.tool.replace(/_/g, " ");
    try {
      return tool ? `${what} (${tool.summarize(call.arguments as never)})` : what;
    } catch {
      return what;
    }
  };
  return {
    done: calls.filter((c) => c.status === "succeeded").map(describe),
    unknown: calls.filter(isUnconfirmed).map(describe),
    // A human approved it and it was not carried out: the customer must hear that, too.
    notDone: calls.filter((c) => c.approval?.status === "approved" && (c.status === "expired" || (c.status === "failed" && !isUnconfirmed(c)))).map(describe),
  };
}

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

/** The message a run that did not complete leaves the customer, from what its calls did. */
export function endingMessage(ending: keyof typeof HONEST_ENDINGS, outcomes: Outcomes): string {
  const parts: string[] = [];
  if (outcomes.done.length === 0 && outcomes.unknown.length === 0 && outcomes.notDone.length === 0) {
    parts.push(`${HONEST_ENDINGS[ending]}, and nothing irreversible was done.`);
  } else {
    parts.push(`${HONEST_ENDINGS[ending]}.`);
    if (outcomes.done.length) parts.push(`What was done: ${outcomes.done.join("; ")}.`);
    if (outcomes.notDone.length) parts.push(`Approved but not carried out, so nothing was done: ${outcomes.notDone.join("; ")}.`);
    if (outcomes.unknown.length) parts.push(`What I could not confirm, and a member of our team is checking: ${outcomes.unknown.join("; ")}.`);
  }
  parts.push(FOLLOW_UP[ending]);
  return parts.join(" ");
}

/** The same facts for the follow-up a reviewer reads. */
export function followUpFacts(outcomes: Outcomes): string {
  const facts = [
    outcomes.done.length ? `done: ${outcomes.done.join("; ")}` : null,
    outcomes.notDone.length ? `approved, not carried out: ${outcomes.notDone.join("; ")}` : null,
    outcomes.unknown.length ? `unconfirmed, check the external system: ${outcomes.unknown.join("; ")}` : null,
  ].filter(Boolean);
  return facts.length ? ` (${facts.join(" · ")})` : " (nothing irreversible was done)";
}
