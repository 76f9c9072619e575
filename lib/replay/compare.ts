// What a scratch run did next to what its source recorded, as steps that can be compared.
// Pure, so a unit test can feed it two traces.

export type TraceStep = { kind: string; name: string };
export type CallStep = { tool: string; argsHash: string; status: string };
export type RunFacts = {
  status: string;
  statusReason: string | null;
  answer: string | null;
  steps: TraceStep[];
  calls: CallStep[];
};
export type Divergence = { at: string; recorded: string | null; replayed: string | null };

/**
 * Trace events that describe the engine's behaviour. Run and call transitions, decisions,
 * follow-ups and watchdog resumes are how a live run waited for people, which a replay serves
 * rather than re-lives, and "would call" events exist only in scratch runs.
 */
const BEHAVIOUR = new Set(["routing", "model_call", "policy", "tool_call", "limit"]);
export const behaviourSteps = (events: TraceStep[]): TraceStep[] =>
  events.filter((e) => BEHAVIOUR.has(e.kind) && !e.name.startsWith("would call "));

const show = (s: TraceStep | undefined) => (s ? `${s.kind} · ${s.name}` : null);
const showCall = (c: CallStep | undefined) =>
  c ? `${c.tool} ${c.status} (arguments ${c.argsHash.slice(0, 12)})` : null;

/** Where the replay's behaviour differs from the recording: none for an unchanged engine. */
export function divergences(recorded: RunFacts, replayed: RunFacts, limit = 20): Divergence[] {
  const found: Divergence[] = [];
  const a = behaviourSteps(recorded.steps);
  const b = behaviourSteps(replayed.steps);
  // Steps are compared in order up to the first difference: after it, the runs are on different paths.
  const first = Array.from({ length: Math.max(a.length, b.length) }, (_, i) => i).find(
    (i) => show(a[i]) !== show(b[i]),
  );
  if (first !== undefined) {
    found.push({
      at: `trace step ${first + 1} of ${a.length} recorded / ${b.length} replayed`,
      recorded: show(a[first]),
      replayed: show(b[first]),
    });
  }
  for (let i = 0; i < Math.max(recorded.calls.length, replayed.calls.length); i++) {
    if (showCall(recorded.calls[i]) !== showCall(replayed.calls[i]))
      found.push({
        at: `tool call ${i + 1}`,
        recorded: showCall(recorded.calls[i]),
        replayed: showCall(replayed.calls[i]),
      });
  }
  const ending = (f: RunFacts) => `${f.status}${f.statusReason ? `: ${f.statusReason}` : ""}`;
  if (ending(recorded) !== ending(replayed))
    found.push({ at: "ending", recorded: ending(recorded), replayed: ending(replayed) });
  if ((recorded.answer ?? "") !== (replayed.answer ?? ""))
    found.push({ at: "answer", recorded: recorded.answer, replayed: replayed.answer });
  return found.slice(0, limit);
}
