import "server-only";
import { registry } from "@/lib/agents";
import type { Tx } from "@/lib/db";
import type { ToolCall } from "@/lib/generated/prisma/client";
import { describeCall } from "@/lib/customer-text/describe";

// What a run's irreversible calls did, as recorded: the only ground for telling a customer what
// was and was not done. "Unknown" is a call that started and whose effect nobody confirmed — a
// worker died mid-call, or the system it calls timed out or failed after the request went out.

/** Each call twice: in the customer's words (lib/customer-text) and as a reviewer reads it (tool and summary). */
export type Outcomes = {
  done: string[];
  unknown: string[];
  notDone: string[];
  internal: { done: string[]; unknown: string[]; notDone: string[] };
};

/** Failure kinds after which the external system may still have carried the write out. */
export const UNCONFIRMED_FAILURES: ReadonlySet<string> = new Set([
  "timeout",
  "upstream_error",
  "outcome_unknown",
]);

export function isUnconfirmed(call: Pick<ToolCall, "status" | "error">): boolean {
  if (call.status === "executing") return true;
  const kind = (call.error as { kind?: unknown } | null)?.kind;
  return call.status === "failed" && typeof kind === "string" && UNCONFIRMED_FAILURES.has(kind);
}

export async function irreversibleOutcomes(
  tx: Tx,
  runId: string,
  agent: string | null,
): Promise<Outcomes> {
  const calls = await tx.toolCall.findMany({
    where: { runId, irreversible: true },
    include: { approval: { select: { status: true } } },
    orderBy: { createdAt: "asc" },
  });
  const internal = (call: ToolCall) => {
    const tool = registry.tool(agent, call.tool);
    const what = call.tool.replace(/_/g, " ");
    try {
      return tool ? `${what} (${tool.summarize(call.arguments as never)})` : what;
    } catch {
      return what;
    }
  };
  const customer = (call: ToolCall) =>
    describeCall(registry.tool(agent, call.tool), call.arguments);
  const done = calls.filter((c) => c.status === "succeeded");
  const unknown = calls.filter(isUnconfirmed);
  // A human approved it and it was not carried out: the customer must hear that, too.
  const notDone = calls.filter(
    (c) =>
      c.approval?.status === "approved" &&
      (c.status === "expired" || (c.status === "failed" && !isUnconfirmed(c))),
  );
  return {
    done: done.map(customer),
    unknown: unknown.map(customer),
    notDone: notDone.map(customer),
    internal: {
      done: done.map(internal),
      unknown: unknown.map(internal),
      notDone: notDone.map(internal),
    },
  };
}

/** The same facts for the follow-up a reviewer reads. */
export function followUpFacts({ internal: outcomes }: Outcomes): string {
  const facts = [
    outcomes.done.length ? `done: ${outcomes.done.join("; ")}` : null,
    outcomes.notDone.length ? `approved, not carried out: ${outcomes.notDone.join("; ")}` : null,
    outcomes.unknown.length
      ? `unconfirmed, check the external system: ${outcomes.unknown.join("; ")}`
      : null,
  ].filter(Boolean);
  return facts.length ? ` (${facts.join(" · ")})` : " (nothing irreversible was done)";
}
