import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ExecutorSpec, ToolSpec } from "@/agents/types";
import { decidePolicy } from "@/lib/approvals/policy";
import { db } from "@/lib/db";
import type { Prisma, ToolCall } from "@/lib/generated/prisma/client";
import type { ToolDefinition, ToolUseBlock } from "@/lib/model/types";
import { ShopError } from "@/lib/shop/errors";
import { stableHash } from "@/lib/shop/idempotency";
import { Shop } from "@/lib/shop/service";
import { queueParkedNotifications } from "@/lib/notifications/queue";
import { recordEvent } from "@/lib/trace/events";
import { crashPoint } from "./crash-points";
import { transitionToolCall } from "./transitions";

const TOOL_TIMEOUT_MS = 10_000;

/** Every tool the model sees asks for its confidence and rationale next to the arguments. */
export function toolDefinitions(agent: ExecutorSpec): ToolDefinition[] {
  return agent.tools.map((tool) => {
    const schema = z.toJSONSchema(tool.input) as { properties?: Record<string, unknown>; required?: string[] };
    return {
      name: tool.name,
      description: tool.description,
      input_schema: {
        type: "object",
        properties: {
          ...schema.properties,
          confidence: { type: "number", minimum: 0, maximum: 1, description: "How sure you are this call is right, 0 to 1" },
          rationale: { type: "string", description: "One sentence: why this call" },
        },
        required: [...(schema.required ?? []), "confidence", "rationale"],
      },
    };
  });
}

const statedJudgement = z.object({ confidence: z.number().min(0).max(1).nullable().catch(null), rationale: z.string().max(1000).nullable().catch(null) });

/**
 * Records one proposed call and decides what happens to it: refused (unknown tool or invalid
 * arguments, answered to the model), run now, or parked for a human.
 */
export async function proposeToolCall(agent: ExecutorSpec, runId: string, turn: number, block: ToolUseBlock): Promise<ToolCall> {
  const raw = (block.input && typeof block.input === "object" ? block.input : {}) as Record<string, unknown>;
  const { confidence = null, rationale = null, ...args } = raw;
  const judgement = statedJudgement.parse({ confidence, rationale });
  const tool = agent.tools.find((t) => t.name === block.name);
  const parsed = tool?.input.safeParse(args);
  const base = {
    runId,
    toolUseId: block.id,
    turn,
    tool: block.name,
    irreversible: tool?.irreversible ?? false,
    arguments: (parsed?.success ? parsed.data : args) as Prisma.InputJsonValue,
    argsHash: stableHash(parsed?.success ? parsed.data : args),
    confidence: judgement.confidence,
    rationale: judgement.rationale,
    idempotencyKey: `cs_${randomUUID()}`,
  };

  return db.$transaction(async (tx) => {
    const call = await tx.toolCall.create({ data: base });
    const refuse = async (kind: string, message: string) => {
      await transitionToolCall(tx, call, "refused", { error: { kind, message } });
      await recordEvent(tx, { runId, toolCallId: call.id, kind: "policy", name: `refused ${block.name}`, data: { kind, message } });
      return { ...call, status: "refused" as const, error: { kind, message } };
    };
    if (!tool) return refuse("forbidden", `Tool ${block.name} is not available to the ${agent.name} agent`);
    if (!parsed?.success) return refuse("invalid_arguments", z.prettifyError(parsed!.error));

    const policy = decidePolicy({ tool, confidence: judgement.confidence, limits: agent.limits });
    await recordEvent(tx, { runId, toolCallId: call.id, kind: "policy", name: `${policy.mode === "auto" ? "auto" : "needs approval"} · ${tool.name}`, data: policy });
    if (policy.mode === "auto") return call;

    await transitionToolCall(tx, call, "pending_approval");
    const run = await tx.run.findUniqueOrThrow({ where: { id: runId }, select: { agent: true } });
    const approval = await tx.approval.create({
      data: {
        toolCallId: call.id,
        runId,
        agent: run.agent ?? agent.name,
        tool: tool.name,
        reasons: policy.reasons,
        proposedArguments: base.arguments,
        proposedHash: base.argsHash,
        expiresAt: new Date(Date.now() + agent.limits.approvalTtlSeconds * 1000),
      },
    });
    await queueParkedNotifications(tx, [approval.id]);
    return { ...call, status: "pending_approval" as const };
  });
}

/**
 * Runs a call that policy or a reviewer allowed. The move to `executing` is conditional, so a
 * call runs once; a call found `executing` (its worker died) runs again with the same
 * idempotency key, which the shop answers with the first result.
 */
export async function executeToolCall(agent: ExecutorSpec, call: ToolCall, customerEmail: string): Promise<void> {
  const tool = agent.tools.find((t) => t.name === call.tool) as ToolSpec<unknown> | undefined;
  if (!tool) throw new Error(`Tool ${call.tool} vanished from ${agent.name}`);
  if (call.status !== "executing") {
    const started = await db.$transaction((tx) => transitionToolCall(tx, call, "executing", { attempts: { increment: 1 } }));
    if (!started) return;
  }
  // The approval is checked again at execution time: the arguments run are the arguments approved.
  if (call.irreversible) {
    const approval = await db.approval.findUnique({ where: { toolCallId: call.id } });
    if (approval?.status !== "approved" || approval.approvedHash !== stableHash(call.arguments)) {
      await finish(call, "failed", { error: { kind: "forbidden", message: "No approval matches these arguments" } }, 0);
      return;
    }
  }

  const started = performance.now();
  try {
    const input = tool.input.parse(call.arguments);
    const shop = new Shop(db, customerEmail);
    const result = await withTimeout(tool.execute(input, { shop, idempotencyKey: call.idempotencyKey }), TOOL_TIMEOUT_MS);
    crashPoint("after_tool_executed");
    await finish(call, "succeeded", { result: result as Prisma.InputJsonValue }, performance.now() - started);
  } catch (error) {
    const typed = error instanceof ShopError ? { kind: error.kind, message: error.message } : { kind: "upstream_error", message: "The tool failed unexpectedly" };
    if (!(error instanceof ShopError)) console.error(JSON.stringify({ level: "error", msg: "tool crashed", tool: call.tool, error: String(error) }));
    await finish(call, "failed", { error: typed }, performance.now() - started);
  }
}

async function finish(call: ToolCall, to: "succeeded" | "failed", data: Prisma.ToolCallUpdateManyMutationInput, elapsedMs: number) {
  await db.$transaction(async (tx) => {
    await transitionToolCall(tx, call, to, data);
    await recordEvent(tx, {
      runId: call.runId,
      toolCallId: call.id,
      kind: "tool_call",
      name: `${call.tool} · ${to}`,
      latencyMs: Math.round(elapsedMs),
      data: { arguments: call.arguments, ...(data.result !== undefined && { result: data.result }), ...(data.error !== undefined && { error: data.error }) } as Prisma.InputJsonValue,
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ShopError("timeout", `The tool did not answer within ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
