// The agent kit's testing module, for an agent's own tests (agents/<name>/*.test.ts): real runs of
// the real engine on the test database, as a customer, a worker and a reviewer would make them,
// on the offline demo model or the real Anthropic SDK against a loopback Messages API.
//
//   const t = agentTester();                                  // offline model
//   let run = await t.ask("Please cancel my subscription");   // a turn, advanced until it parks or ends
//   expect(run.pending.map((p) => p.tool)).toEqual(["cancel_subscription"]);
//   run = await t.approve(run, "cancel_subscription");        // decided as a reviewer, then advanced
//   expect(run.answer).toMatch(/cancelled/);
//
// Test code only: nothing an agent runs imports this (test/architecture.test.ts checks it).
import { decideApproval, type DecisionInput } from "@/lib/approvals/decide";
import type { Actor } from "@/lib/auth/actor";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { AnthropicProvider } from "@/lib/model/anthropic";
import { OfflineDemoModel } from "@/lib/model/offline";
import type { ModelProvider } from "@/lib/model/types";
import "@/lib/features";
import { advanceRun } from "@/lib/runtime/advance";
import { startFakeAnthropic, type FakeAnthropic } from "./messages-api";

export { startFakeAnthropic, type FakeAnthropic, type FakeResponse } from "./messages-api";

/** The demo accounts every test database has (prisma/seed.ts). */
export const DEMO = {
  customer: "user@example.com",
  otherCustomer: "user2@example.com",
  reviewer: "reviewer@example.com",
  admin: "admin@example.com",
};

/** A run as a test reads it: how it ended, every call with its outcome and approval, what the customer was told. */
export type RunView = {
  id: string;
  status: string;
  statusReason: string | null;
  agent: string | null;
  intent: string | null;
  calls: Array<{
    tool: string;
    status: string;
    arguments: Record<string, unknown>;
    result: unknown;
    error: { kind?: string; message?: string; outcome?: string } | null;
    attempts: number;
    idempotencyKey: string;
    approval: { id: string; status: string; reasons: string[] } | null;
  }>;
  /** Calls waiting for a reviewer. */
  pending: Array<{ tool: string; approvalId: string; arguments: Record<string, unknown> }>;
  /** What the customer was told by this run, oldest first. */
  messages: string[];
  /** The last of them ("" if none). */
  answer: string;
};

export type TraceEntry = { kind: string; name: string; data: unknown };

const ACTIVE = new Set(["queued", "routing", "running"]);

async function actor(email: string): Promise<Actor> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Reads a run back as a RunView. */
export async function readRun(runId: string): Promise<RunView> {
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: {
      toolCalls: { include: { approval: true }, orderBy: [{ turn: "asc" }, { createdAt: "asc" }] },
    },
  });
  const messages = await db.message.findMany({
    where: { runId, author: "assistant" },
    orderBy: { createdAt: "asc" },
    select: { text: true },
  });
  const calls = run.toolCalls.map((c) => ({
    tool: c.tool,
    status: c.status,
    arguments: c.arguments as Record<string, unknown>,
    result: c.result,
    error: (c.error as RunView["calls"][number]["error"]) ?? null,
    attempts: c.attempts,
    idempotencyKey: c.idempotencyKey,
    approval: c.approval
      ? {
          id: c.approval.id,
          status: c.approval.status,
          reasons: (c.approval.reasons as string[] | null) ?? [],
        }
      : null,
  }));
  return {
    id: run.id,
    status: run.status,
    statusReason: run.statusReason,
    agent: run.agent,
    intent: run.intent,
    calls,
    pending: calls
      .filter((c) => c.approval?.status === "pending")
      .map((c) => ({ tool: c.tool, approvalId: c.approval!.id, arguments: c.arguments })),
    messages: messages.map((m) => m.text),
    answer: messages.at(-1)?.text ?? "",
  };
}

/** Every trace event of a run, in order: model calls, policy decisions, transitions, tool calls, decisions. */
export async function readTrace(runId: string): Promise<TraceEntry[]> {
  const events = await db.traceEvent.findMany({
    where: { runId },
    orderBy: { seq: "asc" },
    select: { kind: true, name: true, data: true },
  });
  return events.map((e) => ({ kind: e.kind, name: e.name, data: e.data }));
}

type RunRef = string | { id: string };
const idOf = (run: RunRef) => (typeof run === "string" ? run : run.id);

export type AgentTesterOptions = {
  /** The model runs use: the offline demo model by default; see `loopbackModel()` for the real SDK. */
  model?: ModelProvider;
  /** The customer turns are started as (a demo account by default). */
  customer?: string;
  /** The reviewer decisions are made as. */
  reviewer?: string;
};

export function agentTester(options: AgentTesterOptions = {}) {
  const deps = {
    model: options.model ?? new OfflineDemoModel(),
    workerId: `agent-test-${process.pid}`,
  };

  /** Advances a run as a worker would, until it waits for a reviewer or ends. */
  async function advance(run: RunRef): Promise<RunView> {
    const runId = idOf(run);
    for (let i = 0; i < 50; i++) {
      const { status } = await db.run.findUniqueOrThrow({
        where: { id: runId },
        select: { status: true },
      });
      if (!ACTIVE.has(status)) break;
      await advanceRun(runId, deps);
    }
    return readRun(runId);
  }

  async function decide(
    run: RunRef,
    tool: string,
    decision: (approvalId: string) => DecisionInput,
    as?: string,
  ): Promise<RunView> {
    const view = await readRun(idOf(run));
    const waiting = view.pending.find((p) => p.tool === tool);
    if (!waiting)
      throw new Error(
        `Nothing of ${tool} waits for a reviewer in run ${view.id} (pending: ${view.pending.map((p) => p.tool).join(", ") || "none"})`,
      );
    await decideApproval(
      await actor(as ?? options.reviewer ?? DEMO.reviewer),
      decision(waiting.approvalId),
    );
    return advance(view.id);
  }

  return {
    /** Starts a customer's turn and advances it until it waits for a reviewer or ends. */
    async ask(text: string, as?: string): Promise<RunView> {
      const { runId } = await startTurn(await actor(as ?? options.customer ?? DEMO.customer), {
        text,
      });
      return advance(runId);
    },
    advance,
    approve: (run: RunRef, tool: string, as?: string) =>
      decide(run, tool, (approvalId) => ({ approvalId, decision: "approve" }), as),
    reject: (run: RunRef, tool: string, reason: string, as?: string) =>
      decide(run, tool, (approvalId) => ({ approvalId, decision: "reject", reason }), as),
    edit: (run: RunRef, tool: string, args: Record<string, unknown>, as?: string) =>
      decide(run, tool, (approvalId) => ({ approvalId, decision: "edit", arguments: args }), as),
    trace: (run: RunRef) => readTrace(idOf(run)),
    /** Stops the job queue the turns started (call it in afterAll). */
    close: () => stopBoss(),
  };
}

/**
 * The real Anthropic SDK against a loopback server that speaks the Messages API: script its
 * answers with `fake.enqueue(...)` (tool_use blocks, errors, slow and malformed responses) and
 * read what it was sent in `fake.requests`.
 */
export async function loopbackModel(): Promise<{
  fake: FakeAnthropic;
  model: ModelProvider;
  close: () => Promise<void>;
}> {
  const fake = await startFakeAnthropic();
  const model = new AnthropicProvider({
    apiKey: "test-key",
    baseURL: fake.url,
    maxRetries: 1,
    sleep: async () => {},
  });
  return { fake, model, close: () => fake.close() };
}
export { serveOverHttp, type Received } from "./serve";
