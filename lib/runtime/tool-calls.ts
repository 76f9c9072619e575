import "server-only";
import { randomInt, randomUUID } from "node:crypto";
import { z } from "zod";
import {
  RETRYABLE_KINDS,
  ToolError,
  type AnyTool,
  type ToolErrorKind,
  type ToolSpec,
} from "@/lib/agent-kit";
import { recordsOf, registry } from "@/lib/agents";
import { decidePolicy, type PolicyDecision } from "@/lib/policy/call-policy";
import { anomalyHoldReason } from "@/lib/baselines/check";
import { describeAnomaly, type RunMetric } from "@/lib/baselines/statistic";
import { db } from "@/lib/db";
import { openFollowUp } from "@/lib/follow-ups/open";
import type { Prisma, ToolCall } from "@/lib/generated/prisma/client";
import type { ToolDefinition, ToolUseBlock } from "@/lib/model/types";
import { queueParkedNotifications } from "@/lib/notifications/queue";
import { stableHash } from "@/lib/idempotency/hash";
import { recordEvent, type TraceInput } from "@/lib/trace/events";
import { refusedFor, scratchExecute } from "@/lib/scratch/tools";
import { runModeOf } from "./run-mode";
import { crashPoint } from "./crash-points";
import { handoffTool } from "./handoff";
import { FLAGGED_EVENT, findInstructionLike } from "./injection";
import { UNCONFIRMED_FAILURES } from "./outcomes";
import { recallTool } from "./recall";
import type { NewToolCall } from "./persist-step";
import { runtimeHooks } from "./hooks";
import type { RunSetup, RunState } from "./run-state";
import { judgeCall, runFlags, type LiveJudgement } from "@/lib/policy/live";
import { takeGrantUse, type GrantUse } from "@/lib/policy/grant-store";
import { recordAudit } from "@/lib/audit/log";
import type { Tx } from "@/lib/db";
import { parkedFor } from "@/lib/policy/parked";
import { transitionToolCall } from "./transitions";
import { log } from "@/lib/log";

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_RETRIES = 2;
/** Tools the runtime gives every executor. They run on their own: reading back a stored result or handing the request to people can do no harm. */
const RUNTIME_TOOLS: AnyTool[] = [recallTool, handoffTool];

/** The tools a run may call: the agent's, less those its settings deny, plus the runtime's. */
export function availableTools(setup: RunSetup): AnyTool[] {
  return [
    ...setup.agent.tools.filter((t) => setup.settings.toolPolicies[t.name] !== "deny"),
    ...RUNTIME_TOOLS,
  ];
}

/** The one lookup of a tool a run names: its agent's (from the registry), or one of the runtime's. */
export function runTool(agentName: string, toolName: string): AnyTool | undefined {
  return registry.tool(agentName, toolName) ?? RUNTIME_TOOLS.find((t) => t.name === toolName);
}

// A tool's input schema is fixed once registered: converted to JSON Schema once, not per run.
type ObjectSchema = { properties?: Record<string, unknown>; required?: string[] };
const jsonSchemas = new WeakMap<z.ZodType, ObjectSchema>();
const jsonSchemaOf = (input: z.ZodType) => {
  let schema = jsonSchemas.get(input);
  if (!schema) jsonSchemas.set(input, (schema = z.toJSONSchema(input) as ObjectSchema));
  return schema;
};

/** Every tool the model sees asks for its confidence and rationale next to the arguments. */
export function toolDefinitions(setup: RunSetup): ToolDefinition[] {
  return availableTools(setup).map((tool) => {
    const schema = jsonSchemaOf(tool.input);
    return {
      name: tool.name,
      description: tool.description,
      input_schema: {
        type: "object",
        properties: {
          ...schema.properties,
          confidence: {
            type: "number",
            minimum: 0,
            maximum: 1,
            description: "How sure you are this call is right, 0 to 1",
          },
          rationale: { type: "string", description: "One sentence: why this call" },
        },
        required: [...(schema.required ?? []), "confidence", "rationale"],
      },
    };
  });
}

const statedJudgement = z.object({
  confidence: z.number().min(0).max(1).nullable().catch(null),
  rationale: z.string().max(1000).nullable().catch(null),
});

/** The model's arguments without its stated judgement, and that judgement. */
export function splitInput(input: unknown) {
  const raw = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const { confidence = null, rationale = null, ...args } = raw;
  return { args, judgement: statedJudgement.parse({ confidence, rationale }) };
}

/**
 * The hot path's proposal: what policy decides for a call, as a row and trace events for the
 * step's single write, without a query (what the run knows is in memory). Null when the call
 * must wait for a human: that path (proposeToolCall) creates the approval and its notifications.
 */
/** With anomalyHold on, a flagged run asks a human for every later call (lib/baselines), from what the worker holds. */
function heldForAnomaly(state: RunState): string | null {
  const worst = state.watch.worst;
  return state.settings.anomalyHold && worst
    ? describeAnomaly(worst.metric as RunMetric, worst.ratio)
    : null;
}

/**
 * What the rules in force say of a proposed call (lib/policy), judged before the step is written:
 * null for a call the rules never see (an unknown tool, invalid arguments, the runtime's own tools).
 */
export async function judgeProposal(
  state: RunState,
  block: ToolUseBlock,
): Promise<LiveJudgement | null> {
  const { args, judgement } = splitInput(block.input);
  const tool = runTool(state.agent.name, block.name);
  const parsed = tool?.input.safeParse(args);
  if (!tool || !parsed?.success || RUNTIME_TOOLS.includes(tool)) return null;
  const flags = runFlags({
    untrustedFlagged: state.untrustedFlagged,
    anomaly: heldForAnomaly(state),
    confidence: judgement.confidence,
    threshold: state.settings.confidenceThreshold,
  });
  return judgeCall(state, {
    tool: tool.name,
    arguments: parsed.data as Record<string, unknown>,
    flags,
  });
}

/** The trace's record of the rules' verdict on a call, when any rule matched. */
function rulesEvent(callId: string, judged: LiveJudgement | null): Omit<TraceInput, "runId">[] {
  if (!judged?.rules.length) return [];
  const { outcome } = judged;
  return [
    {
      toolCallId: callId,
      kind: "policy",
      name: `policy v${judged.version}: ${judged.rules.map((r) => r.name).join(", ")}`,
      data: {
        version: judged.version,
        rules: judged.rules,
        deny: outcome.deny?.message ?? null,
        wait: outcome.wait,
        approvals: outcome.approvals,
        team: outcome.team,
      } as Prisma.InputJsonValue,
    },
  ];
}

export function planProposal(
  state: RunState,
  turn: number,
  block: ToolUseBlock,
  judged: LiveJudgement | null = null,
): { call: NewToolCall; events: Omit<TraceInput, "runId">[] } | null {
  const { args, judgement } = splitInput(block.input);
  const tool = runTool(state.agent.name, block.name);
  const parsed = tool?.input.safeParse(args);
  const values = parsed?.success ? parsed.data : args;
  const call: NewToolCall = {
    id: randomUUID(),
    toolUseId: block.id,
    turn,
    tool: block.name,
    irreversible: tool?.irreversible ?? registry.irreversibleAnywhere(block.name),
    arguments: values,
    argsHash: stableHash(values),
    confidence: judgement.confidence,
    rationale: judgement.rationale,
    status: "executing",
    idempotencyKey: `cs_${randomUUID()}`,
  };
  const events: Omit<TraceInput, "runId">[] = [];
  // `customerMessage`: a policy rule's refusal, which the product tells the customer (settle-turn.ts).
  const refuse = (kind: ToolErrorKind, message: string, customerMessage?: string) => {
    const error = { kind, message, ...(customerMessage && { customerMessage }) };
    events.push({
      toolCallId: call.id,
      kind: "transition",
      name: `${block.name} → refused`,
      data: { to: "refused" },
    });
    events.push({
      toolCallId: call.id,
      kind: "policy",
      name: `refused ${block.name}`,
      data: error,
    });
    return { call: { ...call, status: "refused" as const, error }, events };
  };
  if (!tool)
    return refuse(
      "forbidden",
      `Tool ${block.name} is not available to the ${state.agent.name} agent`,
    );
  if (!parsed?.success) return refuse("invalid_arguments", z.prettifyError(parsed!.error));
  const policy: PolicyDecision = RUNTIME_TOOLS.includes(tool)
    ? { mode: "auto", reasons: [] }
    : decidePolicy({
        tool,
        confidence: judgement.confidence,
        settings: state.settings,
        untrustedFlagged: state.untrustedFlagged,
        anomaly: heldForAnomaly(state),
      });
  // A rule only adds care: it makes a call the gate lets through wait, or refuses it.
  if (
    policy.mode === "approval" ||
    (policy.mode === "auto" && judged?.outcome.wait && !judged.outcome.deny)
  )
    return null;
  events.push({
    toolCallId: call.id,
    kind: "policy",
    name: `${policy.mode} · ${tool.name}`,
    data: policy as unknown as Prisma.InputJsonValue,
  });
  if (policy.mode === "deny")
    return refuse(
      "forbidden",
      `Tool ${block.name} is switched off for the ${state.agent.name} agent`,
    );
  events.push(...rulesEvent(call.id, judged));
  if (judged?.outcome.deny)
    return refuse("forbidden", judged.outcome.deny.message, judged.outcome.deny.message);
  events.push({
    toolCallId: call.id,
    kind: "transition",
    name: `${tool.name} → executing`,
    data: { to: "executing" },
  });
  return { call, events };
}

/**
 * Records one proposed call and decides what happens to it: refused (unknown tool, denied, or
 * invalid arguments — answered to the model), run now, or parked for a human.
 */
export async function proposeToolCall(
  setup: RunState,
  turn: number,
  block: ToolUseBlock,
  judgedBefore?: LiveJudgement | null,
): Promise<ToolCall> {
  const { args, judgement } = splitInput(block.input);
  const tool = runTool(setup.agent.name, block.name);
  const parsed = tool?.input.safeParse(args);
  const runId = setup.run.id;
  const values = parsed?.success ? parsed.data : args;
  const base = {
    runId,
    toolUseId: block.id,
    turn,
    tool: block.name,
    // A tool outside this executor is recorded as irreversible if any agent's tool of that name is.
    irreversible: tool?.irreversible ?? registry.irreversibleAnywhere(block.name),
    arguments: values as Prisma.InputJsonValue,
    argsHash: stableHash(values),
    confidence: judgement.confidence,
    rationale: judgement.rationale,
    idempotencyKey: `cs_${randomUUID()}`,
  };

  const judged = judgedBefore === undefined ? await judgeProposal(setup, block) : judgedBefore;

  return db.$transaction(async (tx) => {
    const call = await tx.toolCall.create({ data: base });
    const refuse = async (kind: ToolErrorKind, message: string, customerMessage?: string) => {
      const error = { kind, message, ...(customerMessage && { customerMessage }) };
      await transitionToolCall(tx, call, "refused", { error });
      await recordEvent(tx, {
        runId,
        toolCallId: call.id,
        kind: "policy",
        name: `refused ${block.name}`,
        data: error,
      });
      return { ...call, status: "refused" as const, error };
    };
    if (!tool)
      return refuse(
        "forbidden",
        `Tool ${block.name} is not available to the ${setup.agent.name} agent`,
      );
    if (!parsed?.success) return refuse("invalid_arguments", z.prettifyError(parsed!.error));

    const untrustedFlagged =
      (await tx.traceEvent.count({ where: { runId, kind: "policy", name: FLAGGED_EVENT } })) > 0;
    // Baselines (issue 12): with anomalyHold on, a flagged run asks a human for every later call.
    const anomaly = await anomalyHoldReason(tx, runId, setup.settings.anomalyHold);
    const policy: PolicyDecision = RUNTIME_TOOLS.includes(tool)
      ? { mode: "auto", reasons: [] }
      : decidePolicy({
          tool,
          confidence: judgement.confidence,
          settings: setup.settings,
          untrustedFlagged,
          anomaly,
        });
    await recordEvent(tx, {
      runId,
      toolCallId: call.id,
      kind: "policy",
      name: `${policy.mode === "approval" ? "needs approval" : policy.mode} · ${tool.name}`,
      data: policy,
    });
    if (policy.mode === "deny")
      return refuse(
        "forbidden",
        `Tool ${block.name} is switched off for the ${setup.agent.name} agent`,
      );
    for (const event of rulesEvent(call.id, judged)) await recordEvent(tx, { ...event, runId });
    const rules = judged?.outcome;
    if (rules?.deny) return refuse("forbidden", rules.deny.message, rules.deny.message);
    if (policy.mode === "auto" && !rules?.wait) return call;
    // ── scratch runs (lib/replay): nothing is parked for reviewers ──
    if (setup.scratch) return setup.scratch.insteadOfParking(tx, call);

    await transitionToolCall(tx, call, "pending_approval");
    const parked = parkedFor(policy.reasons, judged, setup.settings.approvalTtlSeconds);
    // A reviewer's "remember" grant that covers this call approves it as that reviewer (lib/policy/grant-store.ts).
    const grant = judged?.grantsOff
      ? null
      : await takeGrantUse(tx, {
          agent: setup.agent.name,
          tool: tool.name,
          subjectId: setup.subject.id,
          arguments: values as Record<string, unknown>,
          reasonCodes: parked.reasonCodes,
          requiredApprovals: parked.requiredApprovals,
        });
    const approval = await tx.approval.create({
      data: {
        toolCallId: call.id,
        runId,
        agent: setup.agent.name,
        tool: tool.name,
        ...parked,
        proposedArguments: base.arguments,
        proposedHash: base.argsHash,
        records: recordsOf({
          agent: setup.agent.name,
          tool: tool.name,
          arguments: base.arguments as Record<string, unknown>,
        }),
        ...(grant && {
          status: "approved" as const,
          decidedById: grant.grantedById,
          decidedAt: new Date(),
          approvedArguments: base.arguments,
          approvedHash: base.argsHash,
          grantId: grant.grantId,
        }),
      },
    });
    if (grant)
      return approvedByGrant(
        tx,
        { ...call, status: "pending_approval" as const },
        approval.id,
        grant,
      );
    await queueParkedNotifications(tx, [approval.id]);
    return { ...call, status: "pending_approval" as const };
  });
}

/** The call a grant let through: approved as the grant's reviewer, said so in the trace and the audit. */
async function approvedByGrant(
  tx: Tx,
  call: ToolCall,
  approvalId: string,
  grant: GrantUse,
): Promise<ToolCall> {
  await transitionToolCall(tx, call, "approved");
  const words = `approved by ${grant.grantedByEmail} through their standing permission (grant ${grant.grantId})`;
  await recordEvent(tx, {
    runId: call.runId,
    toolCallId: call.id,
    kind: "decision",
    name: words,
    data: {
      decision: "approve",
      by: grant.grantedByEmail,
      grantId: grant.grantId,
      approved: call.arguments as Prisma.InputJsonValue,
    },
  });
  await recordAudit(tx, {
    actorEmail: grant.grantedByEmail,
    action: "approved_by_grant",
    approvalId,
    runId: call.runId,
    payload: {
      grantId: grant.grantId,
      tool: call.tool,
      arguments: call.arguments as Prisma.InputJsonValue,
      argsHash: call.argsHash,
    },
  });
  return { ...call, status: "approved" };
}

/**
 * Runs a call that policy or a reviewer allowed, with the tool's deadline and bounded retries
 * for rate limits (honouring retry-after), upstream errors and timeouts. The move to `executing`
 * is conditional, so a call runs once; a call found `executing` (its worker died) runs again
 * with the same idempotency key, which the external system answers with the first result.
 */
export async function executeToolCall(setup: RunSetup, call: ToolCall): Promise<void> {
  const tool = availableTools(setup).find((t) => t.name === call.tool) as
    ToolSpec<unknown> | undefined;
  if (call.status !== "executing") {
    const started = await db.$transaction((tx) => transitionToolCall(tx, call, "executing"));
    if (!started) return;
  } else {
    // Its worker died mid-call: whether the effect happened is asked of the external system by
    // running the call again under the same idempotency key, which answers "already done, here
    // is the result" or does it now. If that cannot be answered either, the outcome is unknown.
    await db.$transaction((tx) =>
      recordEvent(tx, {
        runId: call.runId,
        toolCallId: call.id,
        kind: "tool_call",
        name: `${call.tool} · reconciling by its idempotency key`,
        data: { idempotencyKey: call.idempotencyKey },
      }),
    );
  }
  if (!tool)
    return finish(
      call,
      "failed",
      { error: { kind: "forbidden", message: `Tool ${call.tool} is no longer available` } },
      0,
      0,
    );
  // The approval is checked again at execution time: the arguments run are the arguments approved.
  // (A scratch run's decisions are served or simulated, and its writes never reach a real system.)
  if (call.irreversible && !setup.scratch) {
    const approval = await db.approval.findUnique({ where: { toolCallId: call.id } });
    if (approval?.status !== "approved" || approval.approvedHash !== stableHash(call.arguments)) {
      return finish(
        call,
        "failed",
        { error: { kind: "forbidden", message: "No approval matches these arguments" } },
        0,
        0,
      );
    }
  }

  const outcome = await runAttempts(setup, call, tool);
  return finish(call, outcome.to, outcome.data, outcome.elapsedMs, outcome.attempts);
}

export type ToolOutcome = {
  to: "succeeded" | "failed";
  data: { result?: Prisma.InputJsonValue; error?: Prisma.InputJsonValue };
  elapsedMs: number;
  attempts: number;
};

/** The attempts of one call: the tool's deadline, bounded retries (a retry's trace event is written as it happens). */
export async function runAttempts(
  setup: RunSetup,
  call: Pick<
    ToolCall,
    | "id"
    | "runId"
    | "toolUseId"
    | "tool"
    | "arguments"
    | "argsHash"
    | "idempotencyKey"
    | "irreversible"
  >,
  tool: ToolSpec<unknown>,
): Promise<ToolOutcome> {
  const input = tool.input.parse(call.arguments);
  const toolContext = (signal: AbortSignal) => ({
    runId: setup.run.id,
    idempotencyKey: call.idempotencyKey,
    signal,
    subject: setup.subject,
    deps: undefined,
  });
  const mode = runModeOf(setup);
  // ── scratch runs (lib/scratch): served, the agent's sandbox in the network guard, or "would call"; never createDeps, never the cache ──
  // (made once per call, not per attempt: a served call replays its recorded attempts in order)
  const scratch =
    mode === "live"
      ? null
      : scratchExecute({
          mode,
          run: setup,
          agent: setup.agent,
          subject: setup.subject,
          tool,
          call,
          runtimeTool: (RUNTIME_TOOLS as unknown[]).includes(tool),
          served: setup.scratch?.served(tool, call) ?? null,
        });
  // The features around a live call (lib/runtime/hooks.ts: the tool cache, whose read may be
  // answered from it and whose write invalidates it), first registered outermost.
  const { onExecute } = await runtimeHooks();
  const executing = {
    agent: setup.agent.name,
    tool,
    input,
    subjectId: setup.subject.id,
    runId: setup.run.id,
    toolCallId: call.id,
  };
  const execute = scratch
    ? (signal: AbortSignal) => scratch(input, toolContext(signal))
    : (signal: AbortSignal) =>
        onExecute.reduceRight<() => Promise<unknown>>(
          (next, hook) => () => hook(executing, next),
          () => tool.execute(input, { ...toolContext(signal), deps: setup.deps() }),
        )();
  const maxRetries = tool.maxRetries ?? DEFAULT_RETRIES;
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const refusedBefore = refusedFor(setup).length;
    try {
      const result = await withDeadline(execute, tool.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      await traceRefusals(call, refusedFor(setup).slice(refusedBefore));
      crashPoint("after_tool_executed");
      return {
        to: "succeeded",
        data: { result: (result ?? null) as Prisma.InputJsonValue },
        elapsedMs: performance.now() - started,
        attempts: attempt,
      };
    } catch (error) {
      const refused = refusedFor(setup).slice(refusedBefore);
      await traceRefusals(call, refused);
      // The network guard refused a scratch run's connection: another attempt would be refused too.
      const failure = refused.length
        ? {
            kind: "forbidden" as const,
            message: `Not executed: a scratch run may not reach ${refused.join(", ")}`,
          }
        : typedFailure(error);
      if (!RETRYABLE_KINDS.has(failure.kind) || attempt > maxRetries) {
        // A write that timed out or met a server error may still have been carried out.
        const unconfirmed = call.irreversible && UNCONFIRMED_FAILURES.has(failure.kind);
        const error = {
          kind: failure.kind,
          message: failure.message,
          // What a customer may read about it, beside the technical message (lib/customer-text).
          ...(failure.customerMessage && { customerMessage: failure.customerMessage }),
          attempts: attempt,
          ...(unconfirmed && { outcome: "unknown" }),
        };
        return {
          to: "failed",
          data: { error },
          elapsedMs: performance.now() - started,
          attempts: attempt,
        };
      }
      const waitMs = backoff(attempt, failure.retryAfterMs);
      await db.$transaction((tx) =>
        recordEvent(tx, {
          runId: call.runId,
          toolCallId: call.id,
          kind: "tool_call",
          name: `${call.tool} · ${failure.kind}, retrying`,
          data: { attempt, kind: failure.kind, message: failure.message, waitMs },
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** The trace events of a finished call: its transition, its outcome, and a flag if its result looked like instructions. */
export function finishEvents(
  call: Pick<ToolCall, "id" | "tool" | "arguments">,
  outcome: ToolOutcome,
): Omit<TraceInput, "runId">[] {
  const { to, data, elapsedMs, attempts } = outcome;
  const events: Omit<TraceInput, "runId">[] = [
    { toolCallId: call.id, kind: "transition", name: `${call.tool} → ${to}`, data: { to } },
    {
      toolCallId: call.id,
      kind: "tool_call",
      name: `${call.tool} · ${to}`,
      latencyMs: Math.round(elapsedMs),
      data: {
        arguments: call.arguments,
        attempts,
        ...(data.result !== undefined && { result: data.result }),
        ...(data.error !== undefined && { error: data.error }),
      } as Prisma.InputJsonValue,
    },
  ];
  const flagged =
    data.result !== undefined ? findInstructionLike(JSON.stringify(data.result)) : null;
  if (flagged)
    events.push({
      toolCallId: call.id,
      kind: "policy",
      name: FLAGGED_EVENT,
      data: { tool: call.tool, excerpt: flagged },
    });
  return events;
}

/** A scratch run's connections the network guard refused, in the trace. */
async function traceRefusals(
  call: Pick<ToolCall, "id" | "runId" | "tool">,
  refused: readonly string[],
) {
  if (!refused.length) return;
  await db.$transaction((tx) =>
    recordEvent(tx, {
      runId: call.runId,
      toolCallId: call.id,
      kind: "policy",
      name: `scratch run refused network: ${call.tool} → ${[...new Set(refused)].join(", ")}`,
      data: { refused: [...new Set(refused)] },
    }),
  );
}

function typedFailure(error: unknown): {
  kind: ToolErrorKind;
  message: string;
  retryAfterMs?: number;
  customerMessage?: string;
} {
  if (error instanceof ToolError)
    return {
      kind: error.kind,
      message: error.message,
      retryAfterMs: error.retryAfterMs,
      customerMessage: error.customerMessage,
    };
  if (error instanceof z.ZodError)
    return { kind: "invalid_arguments", message: z.prettifyError(error) };
  log.error("tool crashed", { error });
  return { kind: "upstream_error", message: "The tool failed unexpectedly" };
}

/** Exponential backoff with full jitter, never shorter than the server's retry-after. */
function backoff(attempt: number, retryAfterMs?: number): number {
  const ceiling = Math.min(4_000, 250 * 2 ** attempt);
  return Math.max(retryAfterMs ?? 0, randomInt(0, ceiling + 1));
}

async function finish(
  call: ToolCall,
  to: "succeeded" | "failed",
  data: ToolOutcome["data"],
  elapsedMs: number,
  attempts: number,
) {
  await db.$transaction(async (tx) => {
    await transitionToolCall(tx, call, to, { ...data, attempts });
    // The transition's own event is written by transitionToolCall; the rest as the hot path writes them.
    for (const event of finishEvents(call, { to, data, elapsedMs, attempts }).slice(1))
      await recordEvent(tx, { ...event, runId: call.runId });
    // A human approved this effect and it did not happen: someone must tell the user what next.
    if (to === "failed" && call.irreversible) {
      const unknown = (data.error as { outcome?: string } | undefined)?.outcome === "unknown";
      await openFollowUp(
        tx,
        call.runId,
        unknown
          ? `approved ${call.tool} could not be confirmed (${describeError(data.error)}): check the external system for idempotency key ${call.idempotencyKey} before telling the customer`
          : `approved ${call.tool} failed: ${describeError(data.error)}`,
      );
    }
  });
}

const describeError = (error: unknown) =>
  (error as { message?: string } | undefined)?.message ?? "no detail";

/**
 * Runs one attempt with its own AbortSignal, aborted at the deadline: a tool that honours it (fetch
 * does) cancels its request, so a timed-out write is not left running beside its retry. The
 * attempt ends at the deadline even if the tool ignores the signal.
 */
export function withDeadline<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  ms: number,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ToolError("timeout", `The tool did not answer within ${ms / 1000}s`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  // A tool that throws before returning its promise is a rejection too, never an escape past the timer.
  const running = new Promise<T>(
    (resolve, reject) => void attempt(controller.signal).then(resolve, reject),
  );
  return Promise.race([running, timeout]).finally(() => clearTimeout(timer));
}
