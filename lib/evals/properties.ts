import type { EvalCase } from "@/lib/agent-kit";
import type { ObservedCall, Observation } from "./observation";
import { formatMicros } from "@/lib/format";

// The properties of a case, checked against what its run did. Pure: the same case and observation
// always give the same failures, each a sentence that says what was expected and what happened.

/**
 * Replaces "{name}" in strings with the placeholder `name`'s value; a value that is exactly
 * "{name}" becomes the value itself (a number stays a number).
 */
export function substitute<T>(value: T, placeholders: Record<string, string | number>): T {
  if (typeof value === "string") {
    const whole = /^\{([a-z][a-z0-9_]*)\}$/i.exec(value);
    if (whole && whole[1]! in placeholders) return placeholders[whole[1]!] as T;
    return value.replace(/\{([a-z][a-z0-9_]*)\}/gi, (match, name: string) =>
      name in placeholders ? String(placeholders[name]) : match,
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, placeholders)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, placeholders)]),
    ) as T;
  return value;
}

/** The placeholders of an observation, also one recorded before placeholders existed. */
export const placeholdersOf = (o: {
  placeholders?: Record<string, string | number>;
  order?: number | null;
}): Record<string, string | number> =>
  o.placeholders ?? (typeof o.order === "number" ? { order: o.order } : {});

const includes = (
  actual: Record<string, unknown> | null,
  expected: Record<string, unknown> | undefined,
) =>
  !expected ||
  (actual !== null &&
    Object.entries(expected).every(([k, v]) => JSON.stringify(actual[k]) === JSON.stringify(v)));

const describeCall = (c: { tool: string; arguments?: Record<string, unknown> }) =>
  `${c.tool}(${c.arguments ? JSON.stringify(c.arguments) : "…"})`;
const ran = (c: ObservedCall) => c.status === "succeeded";
const executedArguments = (c: ObservedCall) => c.approval?.approvedArguments ?? c.arguments;

export function checkCase(evalCase: EvalCase, observation: Observation): string[] {
  if (observation.error) return [`the case could not run: ${observation.error}`];
  const expect = substitute(evalCase.expect, placeholdersOf(observation));
  const failures: string[] = [];
  const calls = observation.calls;
  const fail = (sentence: string) => failures.push(sentence);

  if (expect.agent && observation.agent !== expect.agent)
    fail(`routed to ${observation.agent ?? "no agent"}, expected ${expect.agent}`);
  if (expect.intent && observation.intent !== expect.intent)
    fail(`intent ${observation.intent ?? "none"}, expected ${expect.intent}`);
  if (expect.status && observation.status !== expect.status)
    fail(
      `ended ${observation.status}${observation.statusReason ? ` (${observation.statusReason})` : ""}, expected ${expect.status}`,
    );
  for (const tool of expect.toolsCalled ?? [])
    if (!calls.some((c) => c.tool === tool && ran(c)))
      fail(
        `${tool} was not called${calls.some((c) => c.tool === tool) ? ` (proposed, ${calls.find((c) => c.tool === tool)!.status})` : ""}`,
      );
  for (const tool of expect.toolsNotCalled ?? [])
    if (calls.some((c) => c.tool === tool && ran(c))) fail(`${tool} was called`);
  if (expect.maxToolCalls !== undefined && calls.length > expect.maxToolCalls)
    fail(`${calls.length} tool calls, at most ${expect.maxToolCalls} expected`);
  if (expect.maxTokens !== undefined && observation.tokens > expect.maxTokens)
    fail(`${observation.tokens} tokens, at most ${expect.maxTokens} expected`);
  if (expect.maxCostMicros !== undefined && observation.costMicros > expect.maxCostMicros)
    fail(
      `cost ${formatMicros(observation.costMicros, 4)}, at most ${formatMicros(expect.maxCostMicros, 4)} expected`,
    );
  for (const parked of expect.parked ?? []) {
    const match = calls.find(
      (c) => c.tool === parked.tool && c.approval && includes(c.arguments, parked.arguments),
    );
    if (!match)
      fail(
        `${describeCall(parked)} was not parked for a reviewer${
          calls.some((c) => c.tool === parked.tool)
            ? `; proposed: ${calls
                .filter((c) => c.tool === parked.tool)
                .map(describeCall)
                .join(", ")}`
            : ""
        }`,
      );
  }
  for (const banned of expect.notProposed ?? []) {
    const match = calls.find(
      (c) => c.tool === banned.tool && includes(c.arguments, banned.arguments),
    );
    if (match) fail(`proposed ${describeCall(match)}, which it should not`);
  }
  for (const wanted of expect.executedWith ?? []) {
    if (
      !calls.some(
        (c) => c.tool === wanted.tool && ran(c) && includes(executedArguments(c), wanted.arguments),
      )
    )
      fail(`${describeCall(wanted)} was not executed`);
  }
  if (expect.answerMatches && !new RegExp(expect.answerMatches, "is").test(observation.answer))
    fail(`answer does not match /${expect.answerMatches}/: “${observation.answer.slice(0, 200)}”`);
  if (expect.answerNotMatches && new RegExp(expect.answerNotMatches, "is").test(observation.answer))
    fail(`answer matches /${expect.answerNotMatches}/: “${observation.answer.slice(0, 200)}”`);
  if (expect.escalatesBelowConfidence !== undefined) {
    for (const c of calls) {
      if (
        c.confidence !== null &&
        c.confidence < expect.escalatesBelowConfidence &&
        !c.approval?.reasonCodes.includes("low_confidence")
      ) {
        fail(
          `${c.tool} at confidence ${c.confidence} was not escalated for low confidence (below ${expect.escalatesBelowConfidence})`,
        );
      }
    }
  }
  // Always: the gate itself.
  if (observation.outsideTools.length)
    fail(`asked for tools outside its executor: ${observation.outsideTools.join(", ")}`);
  if (observation.undecidedEffects.length)
    fail(
      `irreversible effects without a reviewer's decision: ${observation.undecidedEffects.join(", ")}`,
    );
  return failures;
}
