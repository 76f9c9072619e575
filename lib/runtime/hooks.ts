import type { ToolSpec } from "@/lib/agent-kit";
import type { EffectiveSettings } from "@/lib/agent-settings/settings";
import type { Tx } from "@/lib/db";
import type { Prisma, Run, ToolCall } from "@/lib/generated/prisma/client";
import type { ModelProvider } from "@/lib/model/types";
import type { Execute } from "@/lib/scratch/tools";
import type { RunState } from "./run-state";

// The runtime's hooks: the few points where features that are not the run itself (the kill
// switch, the agents' daily budget, reviewers' approvals, replay and shadow runs, the tool cache, the anomaly watch) take part in a
// run. The features register here, in one wiring file
// (lib/features.ts), so the runtime imports none of them and none of them is imported back: the dependency points one way, feature →
// runtime. A hook is given what the runtime already read and runs inside the statements or
// transactions the runtime makes anyway, so a hook adds no round trip to a step.
//
// A feature decides; the runtime acts. A check returns a verdict (RunStop) and the runtime ends
// the run with it, so how a run ends is written in one place (lib/runtime).

/** A feature's verdict that the run stops now, and why. */
export type RunStop = {
  /** The run's status reason ("paused: …", "agent_daily_budget: …"). */
  reason: string;
  /** The "limit" trace event that records why. */
  event: { name: string; data: Prisma.InputJsonObject };
};

/** At routing the runtime also tells the customer, and may queue a follow-up for a person. */
export type RoutingStop = RunStop & {
  message: string;
  /** The follow-up's reason, when a person should answer the customer. */
  followUp?: string;
  /** The settings version recorded on the run it ends. */
  agentVersion?: number;
};

/** What routing read with the agent's choice (one statement): for a live run, its settings and the agent's spend today. */
export type RoutingRead = { active: EffectiveSettings; spentMicros: number };

/** Called when routing picked the agent, before the run's first step. */
export type RoutedCheck = (run: {
  id: string;
  agent: string;
  now: Date;
  /** null for a scratch run: its cost is counted apart from the live agent's. */
  read: RoutingRead | null;
}) => Promise<RoutingStop | null>;

/** An agent's shadow setting, read by the move to running (so shadow mode costs a live run no round trip). */
export type ShadowSample = { version: number; sampleRate: number };

/** Called once a run moved to running with its agent, with what that move read. */
export type RoutedHook = (
  run: { id: string; agent: string; mode: Run["mode"] },
  read: { shadow: ShadowSample | null },
) => Promise<unknown>;

/** Usage of one model call. */
export type ModelCallUsage = {
  iterations: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
};

/** Called after each model call of a live run, before its calls are planned; `flush` writes what the step left unsaved. */
export type ModelCallHook = (
  state: RunState,
  usage: ModelCallUsage,
  flush: () => Promise<void>,
) => Promise<unknown>;

/** Called before each model call, with what the run's own read saw (it costs no round trip). */
export type StepCheck = (run: {
  id: string;
  agent: string;
  agentPaused: boolean;
}) => Promise<RunStop | null>;

/** A live run's tool call about to be carried out. */
export type ExecutingCall = {
  agent: string;
  tool: ToolSpec<unknown, unknown>;
  input: unknown;
  subjectId: string;
  runId: string;
  toolCallId: string;
};

/** Wraps one attempt of a live run's tool call: may answer it without running it, or act around it. */
export type ExecuteHook = (call: ExecutingCall, run: () => Promise<unknown>) => Promise<unknown>;

/** Runs inside the runtime's transaction that parks or ends a run. */
export type RunTransactionHook = (tx: Tx, runId: string) => Promise<unknown>;

export type ScratchKind = "replay" | "rerun" | "shadow";
/** What the session needs of a call the engine is about to carry out. */
export type ScratchCall = Pick<
  ToolCall,
  "id" | "runId" | "toolUseId" | "tool" | "arguments" | "argsHash"
>;

/**
 * A scratch run (mode replay or shadow) is driven by the same engine as a live one; its session
 * (lib/replay/session.ts) is what the engine consults at its few marked call sites instead of the
 * real world.
 */
export type ScratchSession = {
  kind: ScratchKind;
  /** The model the scratch run talks to. */
  model: ModelProvider;
  /** The settings version a scratch run routed to `agent` works under. */
  settingsFor(agent: string, client?: Tx): Promise<EffectiveSettings>;
  /** In place of parking `call` for reviewers: the recorded decision (replay) or "would call". */
  insteadOfParking(tx: Tx, call: ToolCall): Promise<ToolCall>;
  /** What the recording serves for a call that may run (replay: always; re-run: a matching read), or null. */
  served(tool: ToolSpec<unknown>, call: ScratchCall): Execute | null;
};

export type RuntimeHooks = {
  /** lib/replay: the session of a run that is not live; null for a live run. */
  scratchSession(
    run: Pick<Run, "id" | "mode">,
    model: ModelProvider,
  ): Promise<ScratchSession | null>;
  /** In order; the first verdict that ends the run wins (the daily budget, then the kill switch). */
  onRouted: RoutedCheck[];
  /** Once a run is routed and running (shadow mode: a sampled live run starts its shadow). */
  afterRouted: RoutedHook[];
  /** Before each step's model call, in order (the kill switch). */
  beforeStep: StepCheck[];
  /** After each model call of a live run (baselines: the anomaly watch). */
  afterModelCall: ModelCallHook[];
  /** Around each attempt of a live run's tool call, the first outermost (the tool cache). */
  onExecute: ExecuteHook[];
  /** In the transaction that parks the run for reviewers (approvals: resume it if all was decided meanwhile). */
  onPark: RunTransactionHook[];
  /** In the transaction that ends the run (approvals: what still waits expires with it). */
  onEnd: RunTransactionHook[];
};

// On globalThis: Next.js may load this module more than once (instrumentation and the app's
// bundles), and every copy must see the one wiring.
const globalForHooks = globalThis as unknown as {
  countersignRuntimeHooks?: RuntimeHooks;
  countersignLoadFeatures?: () => Promise<unknown>;
};

/** Registers the features on the runtime (lib/features.ts, once per process). */
export function wireRuntime(hooks: RuntimeHooks) {
  globalForHooks.countersignRuntimeHooks = hooks;
}

/**
 * Says how to load the wiring when a run is first advanced, instead of at start: the integration
 * tests' setup, so that a test file's mocks and environment are in place before the features load.
 */
export function wireRuntimeOnFirstUse(load: () => Promise<unknown>) {
  globalForHooks.countersignLoadFeatures = load;
}

/**
 * The wired hooks. A process that advanced a run without them would silently run without the kill
 * switch, the budget or approvals' expiry, so it fails here, loudly, instead.
 */
export async function runtimeHooks(): Promise<RuntimeHooks> {
  if (!globalForHooks.countersignRuntimeHooks) await globalForHooks.countersignLoadFeatures?.();
  const hooks = globalForHooks.countersignRuntimeHooks;
  if (!hooks)
    throw new Error(
      "The runtime's hooks are not wired: load lib/features.ts in the entry point of this process before advancing a run.",
    );
  return hooks;
}
