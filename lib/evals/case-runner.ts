import "server-only";
import { randomInt } from "node:crypto";
import { HANDOFF_TOOL, RECALL_TOOL, type EvalCase } from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import { decideApproval, type DecisionInput } from "@/lib/approvals/decide";
import type { Actor } from "@/lib/auth/actor";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { modelProvider } from "@/lib/model";
import { advanceRun } from "@/lib/runtime/advance";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import type { ObservedCall, Observation } from "./observation";
import type { EvalPlan, EvalPlanResult } from "./plan";
import { substitute } from "./properties";

// Runs inside the scratch process only (scripts/eval-worker.ts, DATABASE_URL = a scratch copy of
// the demo state): the real engine, router, policy and tools, driven as a worker and a reviewer
// would, with each parked call decided by the case's script.

const CUSTOMER = "user@example.com";
const REVIEWER = "reviewer@example.com";
/** Enough for any case: every advance either moves the run or the case ends. */
const MAX_ADVANCES = 60;

async function actor(email: string): Promise<Actor> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

async function putVersion(agent: string, version: number, settings: object) {
  if (version > 0) {
    await db.agentConfig.upsert({
      where: { agent_version: { agent, version } },
      create: { agent, version, settings: settings as Prisma.InputJsonValue, reason: "eval: the version under test" },
      update: { settings: settings as Prisma.InputJsonValue },
    });
  }
  await db.agentActiveSettings.upsert({ where: { agent }, create: { agent, version }, update: { version } });
}

/** An order of the demo customer that no other case touches (six digits, as the agents read them). */
async function freshOrder(state: NonNullable<EvalCase["state"]["order"]>, customerId: string): Promise<number> {
  for (;;) {
    const id = randomInt(100_000, 1_000_000);
    try {
      await db.order.create({
        data: {
          id,
          customerId,
          status: state.status,
          totalCents: state.totalCents,
          items: [{ sku: "EVAL", qty: 1, cents: state.totalCents }],
          placedAt: new Date(),
        },
      });
      if (state.refundedCents > 0) {
        await db.refund.create({
          data: {
            id: `re_eval_${id}`,
            orderId: id,
            amountCents: state.refundedCents,
            reason: "eval state: refunded before",
            idempotencyKey: `eval-state-${id}`,
          },
        });
      }
      return id;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
}

function decisionFor(script: EvalCase["decisions"][number], approval: { id: string; proposedHash: string }, order: number | null): DecisionInput {
  const base = { approvalId: approval.id, expectedHash: approval.proposedHash };
  if (script.decision === "approve") return { ...base, decision: "approve" };
  if (script.decision === "reject") return { ...base, decision: "reject", reason: script.reason };
  return { ...base, decision: "edit", arguments: substitute(script.arguments, order), reason: "eval script: edited" };
}

async function drive(runId: string, script: EvalCase["decisions"], order: number | null, reviewer: Actor) {
  const deps = { model: modelProvider(), workerId: "eval-runner" };
  const left = [...script];
  for (let i = 0; i < MAX_ADVANCES; i++) {
    const { status } = await db.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true } });
    if ((TERMINAL_RUN_STATUSES as readonly string[]).includes(status)) return;
    if (status === "awaiting_approval") {
      const pending = await db.approval.findMany({ where: { runId, status: "pending" }, orderBy: { createdAt: "asc" } });
      let decided = 0;
      for (const approval of pending) {
        const at = left.findIndex((d) => d.tool === approval.tool);
        if (at < 0) continue;
        const [entry] = left.splice(at, 1);
        await decideApproval(reviewer, decisionFor(entry!, approval, order));
        decided++;
      }
      // No script entry for what waits: the case ends with the call parked, as a reviewer would leave it.
      if (!decided) return;
      continue;
    }
    await advanceRun(runId, deps);
  }
}

async function observe(runId: string, order: number | null, started: number): Promise<Observation> {
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { toolCalls: { include: { approval: true }, orderBy: [{ turn: "asc" }, { createdAt: "asc" }] } },
  });
  // Everything the run told the customer, in order: the product's own words about decisions
  // (lib/customer-text) and the agent's answer are separate messages of one run.
  const told = await db.message.findMany({ where: { runId, author: "assistant" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { text: true } });
  const own = new Set([...(run.agent ? registry.agent(run.agent).tools.map((t) => t.name) : []), HANDOFF_TOOL, RECALL_TOOL]);
  const calls: ObservedCall[] = run.toolCalls.map((c) => ({
    tool: c.tool,
    arguments: c.arguments as Record<string, unknown>,
    status: c.status,
    irreversible: c.irreversible,
    confidence: c.confidence,
    approval: c.approval
      ? {
          status: c.approval.status,
          reasonCodes: c.approval.reasonCodes,
          approvedArguments: (c.approval.approvedArguments as Record<string, unknown> | null) ?? null,
        }
      : null,
  }));
  const undecided = run.toolCalls
    .filter((c) => c.irreversible && ["executing", "succeeded"].includes(c.status) && c.approval?.status !== "approved")
    .map((c) => c.idempotencyKey);
  const uncovered = run.toolCalls.filter((c) => c.irreversible && c.approval?.status !== "approved").map((c) => c.idempotencyKey);
  const shopEffects = uncovered.length ? await db.refund.findMany({ where: { idempotencyKey: { in: uncovered } }, select: { idempotencyKey: true } }) : [];
  return {
    order,
    status: run.status,
    statusReason: run.statusReason,
    agent: run.agent,
    intent: run.intent,
    calls,
    answer: told.map((m) => m.text).join("\n"),
    tokens: run.inputTokens + run.outputTokens,
    costMicros: run.costMicros,
    durationMs: Date.now() - started,
    outsideTools: [...new Set(run.toolCalls.filter((c) => !own.has(c.tool)).map((c) => c.tool))],
    undecidedEffects: [...new Set([...undecided, ...shopEffects.map((e) => e.idempotencyKey)])],
  };
}

async function runCase(evalCase: EvalCase, customer: Actor, reviewer: Actor): Promise<Observation> {
  const started = Date.now();
  try {
    await db.shopFault.deleteMany({});
    const customerId = (await db.customer.findUniqueOrThrow({ where: { email: customer.email } })).id;
    const order = evalCase.state.order ? await freshOrder(evalCase.state.order, customerId) : null;
    for (const fault of evalCase.state.faults) {
      await db.shopFault.create({ data: { operation: fault.operation, mode: fault.mode, remaining: fault.remaining } });
    }
    // A conversation of its own, so no earlier case is in the run's context.
    await db.conversation.create({ data: { userId: customer.id } });
    const { runId } = await startTurn(customer, { text: substitute(evalCase.message, order) });
    await drive(runId, evalCase.decisions, order, reviewer);
    const observation = await observe(runId, order, started);
    await db.shopFault.deleteMany({});
    return observation;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      order: null,
      status: "error",
      statusReason: null,
      agent: null,
      intent: null,
      calls: [],
      answer: "",
      tokens: 0,
      costMicros: 0,
      durationMs: Date.now() - started,
      outsideTools: [],
      undecidedEffects: [],
      error: message.slice(0, 500),
    };
  }
}

export async function runPlan(plan: EvalPlan): Promise<EvalPlanResult> {
  for (const other of plan.others) await putVersion(other.agent, other.version, other.settings);
  await putVersion(plan.agent, plan.version, plan.settings);
  const [customer, reviewer] = await Promise.all([actor(CUSTOMER), actor(REVIEWER)]);
  const observations: EvalPlanResult["observations"] = {};
  for (const { key, case: evalCase } of plan.cases) observations[key] = await runCase(evalCase, customer, reviewer);
  return { modelProvider: modelProvider().name, observations };
}
