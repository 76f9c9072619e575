import "server-only";
import { randomUUID } from "node:crypto";
import { decidePolicy } from "@/lib/policy/call-policy";
import { recordsOf } from "@/lib/agents";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { stableHash } from "@/lib/idempotency/hash";
import { queueParkedNotifications } from "@/lib/notifications/queue";
import { judgeExternalCall, runFlags } from "@/lib/policy/live";
import { parkedFor } from "@/lib/policy/parked";
import { FLAGGED_EVENT, findInstructionLike } from "@/lib/runtime/injection";
import { transitionRun, transitionToolCall } from "@/lib/runtime/transitions";
import { lockForTransaction } from "@/lib/store";
import { recordEvent } from "@/lib/trace/events";
import { EXTERNAL_PROVIDER, externalAgentWithSecret } from "./agents";
import { argumentsSchemaFrom, checkArguments } from "./arguments";
import type { AuthenticatedAgent } from "./keys";
import {
  proposeActionSchema,
  type ProposeActionInput,
  type ProposeActionResponse,
} from "./schemas";
import { parseInput } from "./validate";
import { actionView, loadAction, proposalResponse } from "./view";
import { queueDecisionWebhook } from "./webhooks";

// Two-key advisory locks in a key space of their own ("CSXA"), apart from the audit chain's.
const PROPOSAL_LOCK_SPACE = 0x43535841;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export type ProposalOutcome = ProposeActionResponse & { replayed: boolean };

/**
 * Records one proposed tool call of an external agent as a run of its own (kind "external":
 * one tool call, and its approval when it must wait), decided by the same deterministic policy
 * as built-in agents. Idempotent per (agent, Idempotency-Key): the same body answers the same
 * action, another body is a 409. Everything is written in one transaction, serialised per key,
 * so 20 identical concurrent proposals make one action and a refused one writes nothing.
 */
export async function proposeAction(
  agent: AuthenticatedAgent,
  raw: unknown,
  idempotencyKey: string | null,
): Promise<ProposalOutcome> {
  if (!idempotencyKey)
    throw new AppError(
      "invalid_input",
      "Idempotency-Key: the header is required (any unique string per proposal, e.g. a UUID)",
    );
  if (!IDEMPOTENCY_KEY.test(idempotencyKey))
    throw new AppError("invalid_input", "Idempotency-Key: 1 to 200 visible ASCII characters");
  const input = parseInput(proposeActionSchema, raw);
  const requestHash = stableHash(input);
  const config = await externalAgentWithSecret(agent.id);
  checkCallbackOrigin(input.callback_url, config.allowedOrigins);
  checkArguments(argumentsSchemaFrom(input.input_schema), input.arguments);

  return db.$transaction(async (tx) => {
    await lockForTransaction(tx, {
      space: PROPOSAL_LOCK_SPACE,
      key: `${agent.id}:${idempotencyKey}`,
    });
    const existing = await tx.externalAction.findUnique({
      where: { agentId_idempotencyKey: { agentId: agent.id, idempotencyKey } },
    });
    if (existing) {
      if (existing.requestHash !== requestHash) {
        throw new AppError(
          "conflict",
          `Idempotency-Key: "${idempotencyKey}" was already used for another request (action ${existing.id}); use a new key for a new proposal`,
          { actionId: existing.id },
        );
      }
      return { ...proposalResponse((await loadAction(tx, { id: existing.id }))!), replayed: true };
    }
    const id = await recordProposal(tx, config, input, idempotencyKey, requestHash);
    const action = (await loadAction(tx, { id }))!;
    await queueDecisionWebhook(tx, action, actionView(action, config.signingSecret));
    return { ...proposalResponse(action), replayed: false };
  });
}

function checkCallbackOrigin(callbackUrl: string | undefined, allowed: string[]) {
  if (!callbackUrl) return;
  const origin = new URL(callbackUrl).origin;
  if (!allowed.includes(origin)) {
    throw new AppError(
      "invalid_input",
      allowed.length
        ? `callback_url: ${origin} is not one of this agent's allowed callback origins (${allowed.join(", ")})`
        : "callback_url: this agent has no allowed callback origins; an admin adds them at /admin/agents",
    );
  }
}

type AgentConfig = Awaited<ReturnType<typeof externalAgentWithSecret>>;

async function recordProposal(
  tx: Tx,
  config: AgentConfig,
  input: ProposeActionInput,
  idempotencyKey: string,
  requestHash: string,
): Promise<string> {
  const actionId = randomUUID();
  const ttlSeconds = input.expires_in_seconds ?? config.approvalTtlSeconds;
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const request =
    input.context?.request ?? input.summary ?? `${input.tool} (proposed by ${config.name})`;
  const run = await tx.run.create({
    data: {
      conversationId: config.conversationId,
      userId: config.userId,
      request,
      agent: config.name,
      status: "running",
      statusReason: "proposed by an external agent",
      modelProvider: EXTERNAL_PROVIDER,
      deadlineAt: expiresAt,
    },
  });
  const runId = run.id;
  await recordEvent(tx, {
    runId,
    kind: "transition",
    name: "→ running",
    data: { from: null, to: "running", reason: `proposed by the external agent ${config.name}` },
  });
  for (const event of input.trace ?? []) {
    await recordEvent(tx, {
      runId,
      kind: "agent",
      name: `${config.name} · ${event.name}`,
      data: {
        kind: event.kind,
        reported: true,
        ...(event.at && { at: event.at }),
        ...(event.data && { data: event.data as Prisma.InputJsonValue }),
      },
      inputTokens: event.input_tokens,
      outputTokens: event.output_tokens,
      latencyMs: event.latency_ms,
    });
  }
  const untrusted = (input.context?.untrusted_inputs ?? []).map((u) => ({
    source: u.source,
    text: u.text,
    flagged: findInstructionLike(u.text),
  }));
  for (const u of untrusted.filter((x) => x.flagged)) {
    await recordEvent(tx, {
      runId,
      kind: "policy",
      name: FLAGGED_EVENT,
      data: { source: u.source, excerpt: u.flagged },
    });
  }

  const args = input.arguments as Prisma.InputJsonValue;
  const call = await tx.toolCall.create({
    data: {
      runId,
      toolUseId: `ext_${actionId}`,
      turn: 1,
      tool: input.tool,
      irreversible: input.irreversible,
      arguments: args,
      argsHash: stableHash(input.arguments),
      confidence: input.confidence ?? null,
      rationale: input.rationale ?? null,
      idempotencyKey: `cs_${randomUUID()}`,
    },
  });
  await tx.externalAction.create({
    data: {
      id: actionId,
      agentId: config.id,
      idempotencyKey,
      requestHash,
      runId,
      toolCallId: call.id,
      summary: input.summary ?? null,
      ...(input.input_schema && { inputSchema: input.input_schema as Prisma.InputJsonValue }),
      ...(input.subject && { subject: input.subject }),
      untrustedInputs: untrusted,
      callbackUrl: input.callback_url ?? null,
    },
  });

  const flagged = untrusted.some((u) => u.flagged);
  const policy = decidePolicy({
    tool: { name: input.tool, irreversible: input.irreversible },
    confidence: input.confidence ?? null,
    settings: {
      toolPolicies: config.toolPolicies as Record<string, "auto" | "require_approval" | "deny">,
      confidenceThreshold: config.confidenceThreshold,
    },
    untrustedFlagged: flagged,
  });
  await recordEvent(tx, {
    runId,
    toolCallId: call.id,
    kind: "policy",
    name: `${policy.mode === "approval" ? "needs approval" : policy.mode} · ${input.tool}`,
    data: policy,
  });
  // The rules in force (lib/policy) judge it as they judge a built-in agent's call.
  const flags = runFlags({
    untrustedFlagged: flagged,
    anomaly: null,
    confidence: input.confidence ?? null,
    threshold: config.confidenceThreshold,
  });
  const judged = await judgeExternalCall(tx, {
    agent: config.name,
    tool: input.tool,
    arguments: input.arguments as Record<string, unknown>,
    flags,
  });
  if (judged.rules.length) {
    await recordEvent(tx, {
      runId,
      toolCallId: call.id,
      kind: "policy",
      name: `policy v${judged.version}: ${judged.rules.map((r) => r.name).join(", ")}`,
      data: { version: judged.version, rules: judged.rules } as unknown as Prisma.InputJsonValue,
    });
  }

  const denied =
    policy.mode === "deny"
      ? `Tool ${input.tool} is switched off for the ${config.name} agent`
      : judged.outcome.deny?.message;
  if (denied) {
    await transitionToolCall(tx, call, "refused", {
      error: { kind: "forbidden", message: denied },
    });
    await transitionRun(tx, runId, "terminated", `denied by policy: ${denied}`);
  } else if (policy.mode === "auto" && !judged.outcome.wait) {
    // Policy lets it run: handed to the agent, which holds a grant and carries it out itself.
    await transitionToolCall(tx, call, "executing");
  } else {
    await transitionToolCall(tx, call, "pending_approval");
    const parked = parkedFor(policy.reasons, judged, ttlSeconds);
    const approval = await tx.approval.create({
      data: {
        toolCallId: call.id,
        runId,
        agent: config.name,
        tool: input.tool,
        ...parked,
        // The agent's own time to decide bounds the item (its run's deadline is the same moment).
        expiresAt: parked.expiresAt < expiresAt ? parked.expiresAt : expiresAt,
        proposedArguments: args,
        proposedHash: call.argsHash,
        records: recordsOf({ agent: config.name, tool: input.tool, arguments: input.arguments }),
      },
    });
    await transitionRun(tx, runId, "awaiting_approval", "waiting for a reviewer");
    await queueParkedNotifications(tx, [approval.id]);
  }
  return actionId;
}
