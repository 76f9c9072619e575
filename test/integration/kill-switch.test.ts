// The agent kill switch: an admin pauses an agent; its new runs answer honestly and queue a
// follow-up; a run in flight stops at its next step with an ending derived from its recorded
// outcomes; a parked item stays decidable; pausing and resuming are audited; only admins may.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", async (original) => {
  const { AppError } = await import("@/lib/errors");
  return {
    ...(await original<typeof import("@/lib/auth/actor")>()),
    requireActor: async (roles: readonly string[]) => {
      if (!signedIn.actor) throw new AppError("unauthenticated", "Please sign in again.");
      if (!roles.includes(signedIn.actor.role))
        throw new AppError("forbidden", "Your account does not have access to this.");
      return signedIn.actor;
    },
  };
});

const { setAgentPause } = await import("@/lib/agent-pause/actions");
const { decideApproval } = await import("@/lib/approvals/decide");
const { startTurn } = await import("@/lib/chat/service");
const { db } = await import("@/lib/db");
const { stopBoss } = await import("@/lib/jobs/queue");
const { OfflineDemoModel } = await import("@/lib/model/offline");
const { advanceRun } = await import("@/lib/runtime/advance");
const { actorFor } = await import("../support/actors");
const { freshOrder } = await import("../support/orders");

const deps = { model: new OfflineDemoModel(), workerId: "kill-switch" };

afterAll(async () => {
  signedIn.actor = await actorFor("admin@example.com");
  await setAgentPause({ agent: "refunds", paused: false, reason: "test over" });
  // No switch row left behind: later files (round-trips.test.ts counts the pause read) find the agent never paused.
  await db.agentPause.deleteMany({ where: { agent: "refunds", paused: false } });
  await stopBoss();
});

beforeEach(async () => {
  signedIn.actor = await actorFor("admin@example.com");
});

const lastAssistantText = async (runId: string) =>
  (
    await db.message.findFirstOrThrow({
      where: { runId, author: "assistant" },
      orderBy: { createdAt: "desc" },
    })
  ).text;

describe("agent kill switch", () => {
  it("is for admins only, names a bad field, and refuses an unknown agent", async () => {
    signedIn.actor = await actorFor("reviewer@example.com");
    expect(
      await setAgentPause({ agent: "refunds", paused: true, reason: "Not mine to pull" }),
    ).toMatchObject({ ok: false, error: { code: "forbidden" } });
    signedIn.actor = null;
    expect(
      await setAgentPause({ agent: "refunds", paused: true, reason: "Anonymous" }),
    ).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    signedIn.actor = await actorFor("admin@example.com");
    const short = await setAgentPause({ agent: "refunds", paused: true, reason: "x" });
    expect(short).toMatchObject({
      ok: false,
      error: { code: "invalid_input", message: expect.stringContaining("reason") },
    });
    expect(
      await setAgentPause({ agent: "nobody", paused: true, reason: "No such agent" }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("agent") },
    });
    expect(await db.agentPause.findUnique({ where: { agent: "refunds" } })).toBeNull();
  });

  it("answers new runs honestly with a follow-up, stops runs in flight at their next step, keeps parked items decidable, and audits both flips", async () => {
    const user = await actorFor("user@example.com");
    // A parked refund, waiting for a reviewer when the agent is paused.
    const parkedOrder = await freshOrder(2500);
    const parked = await startTurn(user, {
      text: `Order ${parkedOrder} arrived broken, I want my money back`,
    });
    await advanceRun(parked.runId, deps);
    const approval = await db.approval.findFirstOrThrow({
      where: { runId: parked.runId, status: "pending" },
    });

    const paused = await setAgentPause({
      agent: "refunds",
      paused: true,
      reason: "Refund storm under investigation",
    });
    expect(paused).toMatchObject({
      ok: true,
      data: {
        paused: true,
        changedBy: "admin@example.com",
        reason: "Refund storm under investigation",
      },
    });
    expect(await setAgentPause({ agent: "refunds", paused: true, reason: "Twice" })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });

    // A new request to the paused agent: an honest answer, nothing done, a follow-up queued.
    const fresh = await startTurn(user, {
      text: `Order ${await freshOrder(2600)} arrived broken, I want my money back`,
    });
    await advanceRun(fresh.runId, deps);
    const freshRun = await db.run.findUniqueOrThrow({ where: { id: fresh.runId } });
    expect(freshRun.status).toBe("terminated");
    expect(freshRun.statusReason).toMatch(
      /^paused: the refunds agent was paused by admin@example.com \(Refund storm under investigation\)/,
    );
    expect(await lastAssistantText(fresh.runId)).toBe(
      "The refunds assistant is paused by our team right now, so I can't work on this request, and nothing was done. A member of our team will follow up here.",
    );
    expect(await db.followUp.count({ where: { runId: fresh.runId } })).toBe(1);
    expect(await db.toolCall.count({ where: { runId: fresh.runId } })).toBe(0);

    // The parked item is still decidable; the approved refund is carried out (a person decided
    // it), and the run then stops at its next step, telling the customer what was done.
    const outcome = await decideApproval(await actorFor("reviewer@example.com"), {
      decision: "approve",
      approvalId: approval.id,
    });
    expect(outcome).toMatchObject({ status: "approved", runResumed: true });
    await advanceRun(parked.runId, deps);
    const stopped = await db.run.findUniqueOrThrow({ where: { id: parked.runId } });
    expect(stopped.status).toBe("terminated");
    expect(stopped.statusReason).toMatch(/^paused: /);
    expect(await db.refund.count({ where: { orderId: parkedOrder } })).toBe(1);
    const told = await lastAssistantText(parked.runId);
    expect(told).toMatch(
      /^This assistant has been paused by our team, so I stopped before finishing this request\. What was done: /,
    );
    expect(told).toMatch(/A member of our team has been told and will follow up here\.$/);
    expect(await db.followUp.count({ where: { runId: parked.runId } })).toBe(1);
    expect(
      await db.traceEvent.count({
        where: { runId: parked.runId, kind: "limit", name: "agent_paused" },
      }),
    ).toBe(1);

    // Resumed: new requests run again.
    expect(
      await setAgentPause({ agent: "refunds", paused: false, reason: "Storm over" }),
    ).toMatchObject({ ok: true, data: { paused: false } });
    const after = await startTurn(user, {
      text: `Order ${await freshOrder(2700)} arrived broken, I want my money back`,
    });
    await advanceRun(after.runId, deps);
    expect((await db.run.findUniqueOrThrow({ where: { id: after.runId } })).status).toBe(
      "awaiting_approval",
    );

    const audit = await db.auditEntry.findMany({
      where: { action: { in: ["agent_paused", "agent_resumed"] } },
      orderBy: { seq: "asc" },
    });
    expect(audit.slice(-2).map((e) => [e.action, e.actorEmail, e.payload])).toEqual([
      [
        "agent_paused",
        "admin@example.com",
        {
          agent: "refunds",
          reason: "Refund storm under investigation",
          before: { paused: false },
          after: { paused: true },
        },
      ],
      [
        "agent_resumed",
        "admin@example.com",
        {
          agent: "refunds",
          reason: "Storm over",
          before: { paused: true },
          after: { paused: false },
        },
      ],
    ]);
  });
});
