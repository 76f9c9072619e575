// Model-based test of the run and tool-call state machines against the real database: random
// interleavings of workers advancing a run that proposes a refund, reviewers deciding (twice, with
// stale views, or as the requesting user), workers dying mid-step and leases expiring. After every
// step: only legal states and legal recorded transitions, no refund a human did not approve with
// exactly these arguments, at most one refund per order, and a finished run stays finished.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueRefund } from "@/agents/refunds/tools";
import { decideApproval, type DecisionInput } from "@/lib/approvals/decide";
import { preCheckWarnings } from "@/lib/approvals/pre-checks";
import { expireDueApprovals } from "@/lib/approvals/expire";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { RunStatus, type ToolCallStatus } from "@/lib/generated/prisma/enums";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import type { ModelProvider, ModelRequest, ModelResponse } from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { readTranscript } from "@/lib/runtime/transcript";
import { LEASE_MS } from "@/lib/runtime/lease";
import { canMoveRun, canMoveToolCall, TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import { transitionToolCall } from "@/lib/runtime/transitions";
import { stableHash } from "@/lib/idempotency/hash";
import { Shop } from "@/agents/demo-shop/service";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

afterAll(async () => {
  await stopBoss();
});

const CUSTOMER = "user@example.com";
const ORDER_TOTAL = 5_000;
const offline = new OfflineDemoModel();
const worker = (name: string) => ({ model: offline, workerId: `run-model-${name}` });

/** A worker that dies inside a model call: the call never returns, the lease stays held. */
class DyingModel implements ModelProvider {
  readonly name = "offline-demo";
  private called!: () => void;
  private answer?: () => void;
  readonly reached = new Promise<"died">((resolve) => (this.called = () => resolve("died")));
  complete(request: ModelRequest): Promise<ModelResponse> {
    if (this.answer) return offline.complete(request);
    this.called();
    return new Promise<ModelResponse>(
      (resolve) => (this.answer = () => resolve(offline.complete(request))),
    );
  }
  /** The worker was only stalled, not dead: its model call returns after all. */
  wake() {
    this.answer?.();
  }
}

/** What the random sequences actually exercised, printed so a reader can tell the test is not vacuous. */
const exercised = new Map<string, number>();
const saw = (what: string) => exercised.set(what, (exercised.get(what) ?? 0) + 1);

type Real = { runId: string; orderId: number; requesterId: string };
type Model = { finished?: string };
type Cmd = fc.AsyncCommand<Model, Real>;

async function loadRun(runId: string) {
  return db.run.findUniqueOrThrow({
    where: { id: runId },
    include: {
      toolCalls: { include: { approval: true } },
      approvals: true,
      events: { orderBy: { seq: "asc" } },
    },
  });
}

/** What must hold after every step, whatever came before. */
async function checkInvariants(model: Model, real: Real) {
  const run = await loadRun(real.runId);
  expect(Object.values(RunStatus)).toContain(run.status);

  // Every recorded run transition is legal, and together they form one chain to the current status.
  const moves = run.events
    .filter((e) => e.kind === "transition" && !e.toolCallId)
    .map((e) => e.data as { from: RunStatus; to: RunStatus });
  moves.reduce<RunStatus>((from, m) => {
    expect(m.from, "recorded transitions chain").toBe(from);
    expect(canMoveRun(m.from, m.to), `run ${m.from} → ${m.to}`).toBe(true);
    return m.to;
  }, "queued");
  expect(moves.at(-1)?.to ?? "queued").toBe(run.status);

  for (const call of run.toolCalls) {
    const path = run.events
      .filter((e) => e.kind === "transition" && e.toolCallId === call.id)
      .map((e) => (e.data as { to: ToolCallStatus }).to);
    const last = path.reduce<ToolCallStatus>(
      (from, to) => (
        expect(canMoveToolCall(from, to), `${call.tool} ${from} → ${to}`).toBe(true),
        to
      ),
      "proposed",
    );
    expect(last).toBe(call.status);
    // An irreversible call gets to run only with a human's approval of exactly its arguments.
    if (call.irreversible && ["approved", "executing", "succeeded"].includes(call.status)) {
      expect(call.approval?.status).toBe("approved");
      expect(call.approval?.approvedHash).toBe(stableHash(call.arguments));
    }
  }
  // Nobody decides on their own request.
  expect(run.approvals.filter((a) => a.decidedById === real.requesterId)).toEqual([]);
  // A parked run always has something for a reviewer to decide: otherwise it would wait forever.
  if (run.status === "awaiting_approval")
    expect(run.approvals.some((a) => a.status === "pending")).toBe(true);

  const refunds = await db.refund.findMany({ where: { orderId: real.orderId } });
  const messages = await db.message.count({ where: { runId: real.runId } });
  expect(refunds.length).toBeLessThanOrEqual(1);
  for (const refund of refunds) {
    const call = run.toolCalls.find((c) => c.idempotencyKey === refund.idempotencyKey);
    expect(call?.tool).toBe("issue_refund");
    expect(call!.approval?.status).toBe("approved");
    expect(call!.approval?.decidedById).not.toBeNull();
    expect(call!.approval?.approvedHash).toBe(stableHash(call!.arguments));
    expect(call!.arguments).toEqual({
      order_id: refund.orderId,
      amount_cents: refund.amountCents,
      reason: refund.reason,
    });
  }

  // Once finished, the run, its calls, its trace and the customer's thread never change again.
  const snapshot = JSON.stringify({
    status: run.status,
    reason: run.statusReason,
    finishedAt: run.finishedAt,
    transcript: await readTranscript(run.id),
    iterations: run.iterations,
    calls: run.toolCalls.map((c) => [c.id, c.status, c.result, c.error]).sort(),
    approvals: run.approvals.map((a) => [a.id, a.status, a.approvedHash]).sort(),
    events: run.events.length,
    messages,
    refunds: refunds.length,
  });
  if (model.finished !== undefined) expect(snapshot).toBe(model.finished);
  else if (TERMINAL_RUN_STATUSES.includes(run.status)) model.finished = snapshot;
  return run;
}

async function expireLease(runId: string) {
  await db.run.updateMany({
    where: { id: runId, leaseUntil: { not: null } },
    data: { leaseUntil: new Date(Date.now() - 1_000) },
  });
}

class Advance implements Cmd {
  constructor(readonly by: string) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const before = await db.run.findUniqueOrThrow({ where: { id: real.runId } });
    const outcome = await advanceRun(real.runId, worker(this.by));
    saw(`advance from ${before.status}: ${outcome}`);
    if (TERMINAL_RUN_STATUSES.includes(before.status) || before.status === "awaiting_approval")
      expect(outcome).toBe("idle");
    else if (before.leaseUntil && before.leaseUntil > new Date()) expect(outcome).toBe("busy");
    else expect(outcome).toBe("advanced");
    await checkInvariants(model, real);
  }
  toString = () => `advance by ${this.by}`;
}

class AdvanceTogether implements Cmd {
  check = () => true;
  async run(model: Model, real: Real) {
    await Promise.all([advanceRun(real.runId, worker("A")), advanceRun(real.runId, worker("B"))]);
    await checkInvariants(model, real);
  }
  toString = () => "advance by A and B at once";
}

class Decide implements Cmd {
  constructor(
    readonly by: "reviewer" | "reviewer2" | "requester",
    readonly decision:
      { kind: "approve" } | { kind: "reject" } | { kind: "edit"; amountCents: number },
    readonly view: "seen" | "stale" | "unbound",
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const approval = await db.approval.findFirst({
      where: { runId: real.runId },
      orderBy: { createdAt: "desc" },
    });
    if (!approval) return;
    const open = approval.status === "pending" && approval.expiresAt > new Date();
    const actor = await actorFor(this.by === "requester" ? CUSTOMER : `${this.by}@example.com`);
    const expectedHash =
      this.view === "seen"
        ? approval.proposedHash
        : this.view === "stale"
          ? stableHash({ stale: true })
          : undefined;
    // The reviewer has read what the tool's pre-check says now (lib/approvals/pre-checks.ts) and acknowledges it.
    const edited =
      this.decision.kind === "edit"
        ? { ...(approval.proposedArguments as object), amount_cents: this.decision.amountCents }
        : undefined;
    const acknowledgedWarnings =
      this.decision.kind === "reject" ? [] : await preCheckWarnings(approval.id, edited);
    const base = {
      approvalId: approval.id,
      ...(expectedHash && { expectedHash }),
      ...(acknowledgedWarnings.length && { acknowledgedWarnings }),
    };
    const input: DecisionInput =
      this.decision.kind === "approve"
        ? { ...base, decision: "approve" }
        : this.decision.kind === "reject"
          ? { ...base, decision: "reject", reason: "Not covered by the returns policy" }
          : {
              ...base,
              decision: "edit",
              reason: "Partial refund",
              arguments: edited!,
            };
    const outcome = await decideApproval(actor, input).catch((error: unknown) => error);
    saw(
      `${this.decision.kind} by ${this.by}: ${outcome instanceof AppError ? outcome.code : "decided"}`,
    );
    const after = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    if (this.by === "requester") expect(outcome).toMatchObject({ code: "forbidden" });
    else if (!open || this.view === "stale") expect(outcome).toMatchObject({ code: "conflict" });
    else expect(outcome).not.toBeInstanceOf(AppError);
    if (outcome instanceof Error) expect(after).toEqual(approval);
    else expect(after.status).toBe(this.decision.kind === "reject" ? "rejected" : "approved");
    await checkInvariants(model, real);
  }
  toString = () =>
    `${this.decision.kind}${"amountCents" in this.decision ? ` ${this.decision.amountCents}` : ""} by ${this.by} (${this.view} view)`;
}

/** A worker dies inside a model call (routing or a step), holding the run's lease. */
class DieInModelCall implements Cmd {
  check = () => true;
  async run(model: Model, real: Real) {
    const dying = new DyingModel();
    const outcome = await Promise.race([
      dying.reached,
      advanceRun(real.runId, { model: dying, workerId: "run-model-dying", heartbeat: false }),
    ]);
    saw(`die in model call: ${outcome}`);
    if (outcome === "died") {
      const run = await db.run.findUniqueOrThrow({ where: { id: real.runId } });
      expect(run.leaseOwner).toBe("run-model-dying");
    }
    await checkInvariants(model, real);
  }
  toString = () => "a worker dies in a model call";
}

/**
 * A worker dies while executing the approved refund: it took the lease and moved the call to
 * executing, and maybe the shop already refunded, but nothing was recorded.
 */
class DieWhileExecuting implements Cmd {
  constructor(
    readonly afterShopEffect: boolean,
    readonly leaseExpired: boolean,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const call = await db.toolCall.findFirst({
      where: { runId: real.runId, tool: "issue_refund", status: "approved" },
      include: { approval: true },
    });
    const now = new Date();
    const claimed = call
      ? await db.run.updateMany({
          where: {
            id: real.runId,
            status: "running",
            OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
          },
          data: {
            leaseOwner: "run-model-dying",
            leaseUntil: new Date(now.getTime() + (this.leaseExpired ? -1_000 : LEASE_MS)),
          },
        })
      : { count: 0 };
    if (
      call &&
      claimed.count === 1 &&
      (await db.$transaction((tx) => transitionToolCall(tx, call, "executing")))
    ) {
      // As the runtime does, the effect runs only under an approval of exactly these arguments.
      saw(`die while executing ${this.afterShopEffect ? "after" : "before"} the effect`);
      if (
        this.afterShopEffect &&
        call.approval?.status === "approved" &&
        call.approval.approvedHash === stableHash(call.arguments)
      ) {
        const context = {
          deps: new Shop(db, CUSTOMER),
          runId: real.runId,
          idempotencyKey: call.idempotencyKey,
          signal: new AbortController().signal,
          subject: { id: "run-model", email: CUSTOMER, name: null },
        };
        await issueRefund
          .execute(issueRefund.input.parse(call.arguments) as never, context)
          .catch(() => undefined);
      }
    }
    await checkInvariants(model, real);
  }
  toString = () =>
    `a worker dies executing the refund (${this.afterShopEffect ? "after" : "before"} the shop refunded, lease ${this.leaseExpired ? "expired" : "held"})`;
}

/** The pending item outlives its time to live; the maintenance sweep may or may not have run yet. */
class ApprovalExpires implements Cmd {
  constructor(readonly swept: boolean) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const moved = await db.approval.updateMany({
      where: { runId: real.runId, status: "pending" },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    if (moved.count > 0) saw(`approval expires (${this.swept ? "swept" : "not yet swept"})`);
    if (this.swept) await expireDueApprovals();
    await checkInvariants(model, real);
  }
  toString = () => `the approval expires (${this.swept ? "swept" : "not yet swept"})`;
}

class LeaseExpires implements Cmd {
  check = () => true;
  async run(model: Model, real: Real) {
    await expireLease(real.runId);
    await checkInvariants(model, real);
  }
  toString = () => "the lease expires";
}

const decisions = fc
  .tuple(
    fc.constantFrom("reviewer" as const, "reviewer2" as const, "requester" as const),
    fc.oneof(
      fc.constant({ kind: "approve" as const }),
      fc.constant({ kind: "reject" as const }),
      // Up to more than the order's total: the shop then refuses, and nothing is refunded.
      fc
        .integer({ min: 1, max: ORDER_TOTAL + 2_000 })
        .map((amountCents) => ({ kind: "edit" as const, amountCents })),
    ),
    fc.constantFrom("seen" as const, "stale" as const, "unbound" as const),
  )
  .map(([by, decision, view]): Cmd => new Decide(by, decision, view));

// Weighted so that most sequences get past parking to decisions, executions and crashes around them.
const commands = fc.commands(
  [
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("A", "B").map((by): Cmd => new Advance(by)) },
      { weight: 1, arbitrary: fc.constant<Cmd>(new AdvanceTogether()) },
      { weight: 4, arbitrary: decisions },
      { weight: 1, arbitrary: fc.constant<Cmd>(new DieInModelCall()) },
      {
        weight: 4,
        arbitrary: fc
          .tuple(fc.boolean(), fc.boolean())
          .map(([effect, expired]): Cmd => new DieWhileExecuting(effect, expired)),
      },
      { weight: 2, arbitrary: fc.constant<Cmd>(new LeaseExpires()) },
      { weight: 1, arbitrary: fc.boolean().map((swept): Cmd => new ApprovalExpires(swept)) },
    ),
  ],
  { maxCommands: 24, size: "max" },
);

/** After the chaos, restarts and an approving reviewer always bring the run to an end. */
async function finish(model: Model, real: Real) {
  const reviewer = await actorFor("reviewer@example.com");
  for (let round = 0; round < 6; round++) {
    await expireLease(real.runId);
    await expireDueApprovals();
    const pending = await db.approval.findFirst({
      where: { runId: real.runId, status: "pending" },
    });
    if (pending) await decideApproval(reviewer, { decision: "approve", approvalId: pending.id });
    await advanceRun(real.runId, worker("restart"));
    const run = await checkInvariants(model, real);
    if (TERMINAL_RUN_STATUSES.includes(run.status)) return run;
  }
  throw new Error("the run did not finish after six restarts");
}

describe("run and tool-call state machines under random events, crashes and restarts", () => {
  it(
    "never reach an illegal state or run an irreversible call no human approved",
    { timeout: 120_000 },
    async () => {
      const requester = await actorFor(CUSTOMER);
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          const orderId = await freshOrder(ORDER_TOTAL);
          const { runId } = await startTurn(requester, {
            text: `Order ${orderId} arrived broken, I want my money back`,
          });
          const real: Real = { runId, orderId, requesterId: requester.id };
          const model: Model = {};
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          const run = await finish(model, real);
          saw(
            `ended ${run.status}${(await db.refund.count({ where: { orderId } })) ? " with a refund" : ""}`,
          );
        }),
        // RUN_MODEL_RUNS=500 explores further when hunting a bug (about a minute); RUN_MODEL_SEED replays a failure.
        {
          numRuns: Number(process.env.RUN_MODEL_RUNS ?? 40),
          ...(process.env.RUN_MODEL_SEED && { seed: Number(process.env.RUN_MODEL_SEED) }),
        },
      );
      console.log("run-model exercised:", Object.fromEntries([...exercised].sort()));
    },
  );
});

// Regression: a worker stalled in the router's model call past its lease (a slow model API can take longer
// than LEASE_MS: 4 attempts of up to 60 s) wakes up after another worker has parked the run.
// It must not touch the run: routing moves only from `routing`, and every write after a slow step
// first renews the lease (lib/runtime/lease.ts), which the stale worker no longer holds.
describe("a worker that outlived its lease", () => {
  type Seen = { status: string; transcript: unknown; pendingApprovals: number };
  let parked: Seen;
  let after: Seen;
  const look = async (runId: string): Promise<Seen> => {
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    return {
      status: run.status,
      transcript: await readTranscript(runId),
      pendingApprovals: await db.approval.count({ where: { runId, status: "pending" } }),
    };
  };

  // The scenario runs in a hook, so a broken set-up fails loudly instead of passing as the expected failure.
  beforeAll(async () => {
    const orderId = await freshOrder(ORDER_TOTAL);
    const requester = await actorFor(CUSTOMER);
    const { runId } = await startTurn(requester, {
      text: `Order ${orderId} arrived broken, I want my money back`,
    });
    const stalled = new DyingModel();
    const stale = advanceRun(runId, {
      model: stalled,
      workerId: "run-model-stalled",
      heartbeat: false,
    });
    await stalled.reached;
    await expireLease(runId);
    await advanceRun(runId, worker("A"));
    parked = await look(runId);
    stalled.wake();
    await stale;
    after = await look(runId);
  });

  it("is overtaken: another worker parks the run while it stalls", () => {
    expect(parked).toMatchObject({ status: "awaiting_approval", pendingApprovals: 1 });
  });

  it("cannot undo the progress of the worker that took over when it wakes", () => {
    expect(after).toEqual(parked);
  });
});
