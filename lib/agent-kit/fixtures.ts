// An agent's eval fixtures: what an eval case's `state` may ask for (records to create in the
// scratch database or the sandbox, faults to switch on) and how to set it up. Each agent defines
// its own; the demo shop's (agents/demo-shop/fixtures.ts) is one such definition.
import type { z } from "zod";
import type { Subject } from "./types";

/**
 * Values a case's set-up made, by name: "{order}" in the case's message and expectations stands
 * for the value of `order`, so every case works on fresh records and cases never share state.
 */
export type Placeholders = Record<string, string | number>;

export type FixtureContext<Config = unknown> = {
  /** The demo customer every case's turn is started as. */
  subject: Subject;
  config: Config;
};

/** A read tool's call and its result, as a run recorded it before the call a reviewer decided. */
export type RecordedRead = { tool: string; arguments: Record<string, unknown>; result: unknown };

/** A reviewer's decision on a parked call, with what the agent had read before proposing it. */
export type DecidedCall = {
  request: string;
  tool: string;
  arguments: Record<string, unknown>;
  reads: RecordedRead[];
};

export type Fixtures<Config = unknown, State = unknown> = {
  /** The shape of a case's `state` for this agent (defaults fill what a case leaves out). */
  state: z.ZodType<State>;
  /** Before a case's turn (in the scratch process): create what `state` asks for, switch its faults on; returns the placeholders (undefined ones are left out). */
  setUp: (
    state: State,
    ctx: FixtureContext<Config>,
  ) => Promise<Record<string, string | number | undefined>>;
  /** After every case, also one that failed: switch faults off. */
  tearDown?: (ctx: FixtureContext<Config>) => Promise<void>;
  /**
   * For a case recorded from a reviewer's decision: the state that reproduces what the agent's
   * reads returned, and which values of the request and arguments stand for which placeholder
   * (e.g. `{ order: 1042 }`). Null, or no function: the case keeps the reads themselves, and the
   * eval serves them again to the same calls.
   */
  fromDecision?: (decided: DecidedCall) => { state: State; placeholders: Placeholders } | null;
  /** Which of these idempotency keys have an irreversible effect in the sandbox (checked against the reviewers' decisions). */
  effects?: (idempotencyKeys: string[], ctx: FixtureContext<Config>) => Promise<string[]>;
};

/** Types an agent's fixtures by their state schema: `fixtures: defineFixtures({ state: z.object(…), setUp: … })`. */
export function defineFixtures<State, Config = unknown>(
  fixtures: Fixtures<Config, State>,
): Fixtures<Config> {
  return fixtures as unknown as Fixtures<Config>;
}
