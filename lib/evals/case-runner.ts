import "server-only";
import {
  agentConfig,
  HANDOFF_TOOL,
  RECALL_TOOL,
  type Agent,
  type EvalCase,
  type FixtureContext,
  type Placeholders,
} from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import { decideApproval, type DecisionInput } from "@/lib/approvals/decide";
import type { Actor } from "@/lib/auth/actor";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { modelProvider } from "@/lib/model";
import { advanceRun } from "@/lib/runtime/advance";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import { forgetReads, serveReads } from "@/lib/scratch/eval-reads";
import type { ObservedCall, Observation } from "./observation";
import type { EvalPlan, EvalPlanResult } from "./plan";
import { substitute } from "./properties";

// Runs inside the scratch process only (scripts/eval-worker.ts, DATABASE_URL = a scratch copy of
// the database, every run an "eval" run: lib/scratch): the real engine, router and policy, the
// agent's tools on its sandbox, driven as a worker and a reviewer would, each parked call decided
// by the case's script. The agent's fixtures set up what the case's state asks for.

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
      create: {
        agent,
        version,
        settings: settings as Prisma.InputJsonValue,
        reason: "eval: the version under test",
      },
      update: { settings: settings as Prisma.InputJsonValue },
    });
  }
  await db.agentActiveSettings.upsert({
    where: { agent },
    create: { agent, version },
    update: { version },
  });
}

function decisionFor(
  script: EvalCase["decisions"][number],
  approval: { id: string; proposedHash: string },
  placeholders: Placeholders,
): DecisionInput {
  const base = { approvalId: approval.id, expectedHash: approval.proposedHash };
  if (script.decision === "approve") return { ...base, decision: "approve" };
  if (script.decision === "reject") return { ...base, decision: "reject", reason: script.reason };
  return {
    ...base,
    decision: "edit",
    arguments: substitute(script.arguments, placeholders),
    reason: "eval script: edited",
  };
}

async function drive(
  runId: string,
  script: EvalCase["decisions"],
  placeholders: Placeholders,
  reviewer: Actor,
) {
  const deps = { model: modelProvider(), workerId: "eval-runner" };
  const left = [...script];
  for (let i = 0; i < MAX_ADVANCES; i++) {
    const { status } = await db.run.findUniqueOrThrow({
      where: { id: runId },
      select: { status: true },
    });
    if ((TERMINAL_RUN_STATUSES as readonly string[]).includes(status)) return;
    if (status === "awaiting_approval") {
      const pending = await db.approval.findMany({
        where: { runId, status: "pending" },
        orderBy: { createdAt: "asc" },
      });
      let decided = 0;
      for (const approval of pending) {
        const at = left.findIndex((d) => d.tool === approval.tool);
        if (at < 0) continue;
        const [entry] = left.splice(at, 1);
        await decideApproval(reviewer, decisionFor(entry!, approval, placeholders));
        decided++;
      }
      // No script entry for what waits: the case ends with the call parked, as a reviewer would leave it.
      if (!decided) return;
      continue;
    }
    await advanceRun(runId, deps);
  }
}

/** Irreversible effects (by idempotency key) that no reviewer's approval covers: as the sandbox's idempotency records and the fixtures say. */
async function undecidedEffects(
  agent: Agent,
  uncovered: string[],
  fixtures: FixtureContext<never>,
): Promise<string[]> {
  if (!uncovered.length) return [];
  const recorded = await db.idempotencyRecord.findMany({
    where: { key: { in: uncovered } },
    select: { key: true },
  });
  const declared = (await agent.fixtures?.effects?.(uncovered, fixtures)) ?? [];
  return [...recorded.map((r) => r.key), ...declared];
}

async function observe(
  agent: Agent,
  runId: string,
  placeholders: Placeholders,
  started: number,
  fixtures: FixtureContext<never>,
): Promise<Observation> {
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: {
      toolCalls: { include: { approval: true }, orderBy: [{ turn: "asc" }, { createdAt: "asc" }] },
    },
  });
  // Everything the run told the customer, in order: the product's own words about decisions
  // (lib/customer-text) and the agent's answer are separate messages of one run.
  const told = await db.message.findMany({
    where: { runId, author: "assistant" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { text: true },
  });
  const own = new Set([
    ...(run.agent ? registry.agent(run.agent).tools.map((t) => t.name) : []),
    HANDOFF_TOOL,
    RECALL_TOOL,
  ]);
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
          approvedArguments:
            (c.approval.approvedArguments as Record<string, unknown> | null) ?? null,
        }
      : null,
  }));
  const undecided = run.toolCalls
    .filter(
      (c) =>
        c.irreversible &&
        ["executing", "succeeded"].includes(c.status) &&
        c.approval?.status !== "approved",
    )
    .map((c) => c.idempotencyKey);
  const uncovered = run.toolCalls
    .filter((c) => c.irreversible && c.approval?.status !== "approved")
    .map((c) => c.idempotencyKey);
  return {
    placeholders,
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
    undecidedEffects: [
      ...new Set([...undecided, ...(await undecidedEffects(agent, uncovered, fixtures))]),
    ],
  };
}

async function runCase(
  agent: Agent,
  evalCase: EvalCase,
  customer: Actor,
  reviewer: Actor,
): Promise<Observation> {
  const started = Date.now();
  const fixtures: FixtureContext<never> = {
    subject: { id: customer.id, email: customer.email, name: customer.name },
    config: agentConfig(agent) as never,
  };
  let runId: string | null = null;
  try {
    const made = agent.fixtures
      ? await agent.fixtures.setUp(agent.fixtures.state.parse(evalCase.state), fixtures)
      : {};
    const placeholders = Object.fromEntries(
      Object.entries(made).filter((e): e is [string, string | number] => e[1] !== undefined),
    );
    // A conversation of its own, so no earlier case is in the run's context.
    await db.conversation.create({ data: { userId: customer.id } });
    ({ runId } = await startTurn(customer, { text: substitute(evalCase.message, placeholders) }));
    serveReads(runId, evalCase.reads);
    await drive(runId, evalCase.decisions, placeholders, reviewer);
    return await observe(agent, runId, placeholders, started, fixtures);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      placeholders: {},
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
  } finally {
    if (runId) forgetReads(runId);
    await agent.fixtures?.tearDown?.(fixtures);
  }
}

export async function runPlan(plan: EvalPlan): Promise<EvalPlanResult> {
  for (const other of plan.others) await putVersion(other.agent, other.version, other.settings);
  await putVersion(plan.agent, plan.version, plan.settings);
  const agent = registry.agent(plan.agent);
  const [customer, reviewer] = await Promise.all([actor(CUSTOMER), actor(REVIEWER)]);
  const observations: EvalPlanResult["observations"] = {};
  for (const { key, case: evalCase } of plan.cases)
    observations[key] = await runCase(agent, evalCase, customer, reviewer);
  return { modelProvider: modelProvider().name, observations };
}
