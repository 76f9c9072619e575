// Follow-ups: every ending that tells the user "a member of our team will follow up" queues that
// promise, and a reviewer's reply lands in the user's own thread, once.
import { afterAll, describe, expect, it } from "vitest";
import { defaultSettings, saveSettings } from "@/lib/agent-settings/settings";
import { decideApproval } from "@/lib/approvals/decide";
import { expireDueApprovals } from "@/lib/approvals/expire";
import { chatView, startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { listFollowUps, replyInput, replyToFollowUp } from "@/lib/follow-ups/service";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { setFault } from "@/agents/demo-shop/faults";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const deps = { model: new OfflineDemoModel(), workerId: "follow-ups" };
const refunds = defaultSettings("refunds");

afterAll(async () => {
  await stopBoss();
});

async function askForRefund(email = "user@example.com") {
  const orderId = await freshOrder(2300);
  const { runId } = await startTurn(await actorFor(email), {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  await advanceRun(runId, deps);
  return { runId, orderId };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** A refunds run stopped by a one-step limit, as an admin could set it. */
async function terminatedRun() {
  const admin = await actorFor("admin@example.com");
  await saveSettings(admin, {
    agent: "refunds",
    settings: { ...refunds, maxIterations: 1 },
    reason: "test: stop after one step",
  });
  try {
    return await askForRefund();
  } finally {
    await saveSettings(admin, {
      agent: "refunds",
      settings: refunds,
      reason: "test: restore defaults",
    });
  }
}

describe("follow-ups", () => {
  it("queues a run that was stopped, and the reviewer's reply reaches the user's thread once", async () => {
    const { runId } = await terminatedRun();
    const followUp = await db.followUp.findUniqueOrThrow({ where: { runId } });
    expect(followUp).toMatchObject({ status: "open", answeredById: null });
    expect(followUp.reason).toMatch(/^terminated: max_iterations: /);
    expect(
      await db.traceEvent.count({
        where: { runId, kind: "follow_up", name: "follow-up queued for the team" },
      }),
    ).toBe(1);

    const listed = (await listFollowUps("open")).find((f) => f.id === followUp.id);
    expect(listed).toMatchObject({
      customer: { name: "Ada Customer", email: "user@example.com" },
      answered: null,
    });
    expect(listed!.lastAnswer).toMatch(/^I had to stop before finishing this request/);

    const riley = await actorFor("reviewer@example.com");
    await replyToFollowUp(riley, {
      followUpId: followUp.id,
      text: "Sorry about that: I have refunded the order myself.",
    });
    const thread = await chatView(await actorFor("user@example.com"));
    expect(thread.messages.at(-1)).toMatchObject({
      author: "staff",
      staffName: "Riley Reviewer",
      text: "Sorry about that: I have refunded the order myself.",
    });

    // A second reviewer replying at the same time is told who answered; nothing else is posted.
    const late = await rejection(
      replyToFollowUp(await actorFor("reviewer2@example.com"), {
        followUpId: followUp.id,
        text: "Me too",
      }),
    );
    expect(late.code).toBe("conflict");
    expect(late.message).toMatch(
      /^Riley Reviewer answered it \d+ s ago; your reply was not sent\.$/,
    );
    expect(late.details).toMatchObject({
      answeredBy: "reviewer@example.com",
      answeredAt: expect.stringMatching(/^\d{4}-/),
    });
    expect(await db.message.count({ where: { runId, author: "staff" } })).toBe(1);
    expect(
      (await listFollowUps("answered")).find((f) => f.id === followUp.id)?.answered,
    ).toMatchObject({
      by: "reviewer@example.com",
      text: /refunded the order myself/,
    });
    expect((await listFollowUps("open")).some((f) => f.id === followUp.id)).toBe(false);
  });

  it("queues an item that expired, and an approved refund that the shop failed to make", async () => {
    const expiring = await askForRefund();
    const approval = await db.approval.findFirstOrThrow({
      where: { runId: expiring.runId, status: "pending" },
    });
    await db.approval.update({
      where: { id: approval.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expireDueApprovals();
    expect(await db.followUp.findUniqueOrThrow({ where: { runId: expiring.runId } })).toMatchObject(
      {
        reason: "expired: issue_refund was not decided in time",
      },
    );

    const failing = await askForRefund();
    const parked = await db.approval.findFirstOrThrow({
      where: { runId: failing.runId, status: "pending" },
    });
    await setFault(db, { operation: "issue_refund", mode: "not_found", remaining: null });
    try {
      await decideApproval(await actorFor("reviewer@example.com"), {
        decision: "approve",
        approvalId: parked.id,
      });
      await advanceRun(failing.runId, deps);
    } finally {
      await setFault(db, { operation: "issue_refund", mode: null, remaining: null });
    }
    expect(
      (await db.followUp.findUniqueOrThrow({ where: { runId: failing.runId } })).reason,
    ).toMatch(/^approved issue_refund failed: /);
  });

  it("queues the request when the agent hands it to the team, even on a run that completes", async () => {
    const { runId } = await startTurn(await actorFor("user2@example.com"), {
      text: "Hello, zebra stripes?",
    });
    await advanceRun(runId, deps);
    const run = await db.run.findUniqueOrThrow({
      where: { id: runId },
      include: { toolCalls: { orderBy: { createdAt: "asc" } } },
    });
    expect(run.status).toBe("completed");
    expect(run.toolCalls.map((c) => [c.tool, c.status])).toEqual([
      ["search_policies", "succeeded"],
      ["hand_off_to_team", "succeeded"],
    ]);
    expect(await db.followUp.findUniqueOrThrow({ where: { runId } })).toMatchObject({
      status: "open",
      reason: "handed off by the agent: No published policy answers the question.",
    });
    expect((await chatView(await actorFor("user2@example.com"))).messages.at(-1)?.text).toMatch(
      /a team member will follow up with you here\.$/,
    );
  });

  it("queues nothing for a run that finished its work", async () => {
    const { runId } = await askForRefund();
    const parked = await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
    await decideApproval(await actorFor("reviewer@example.com"), {
      decision: "approve",
      approvalId: parked.id,
    });
    await advanceRun(runId, deps);
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");
    expect(await db.followUp.count({ where: { runId } })).toBe(0);
  });

  it("refuses an empty or oversized reply, an unknown follow-up, and answering one's own request", async () => {
    expect(
      replyInput.safeParse({ followUpId: crypto.randomUUID(), text: "   " }).error?.issues[0]
        ?.message,
    ).toBe("Write a reply first");
    expect(
      replyInput.safeParse({ followUpId: crypto.randomUUID(), text: "x".repeat(2001) }).error
        ?.issues[0]?.message,
    ).toBe("Keep replies under 2,000 characters");
    expect(
      replyInput.safeParse({ followUpId: "42", text: "Hello" }).error?.issues[0]?.message,
    ).toBe("Unknown follow-up");
    const riley = await actorFor("reviewer@example.com");
    expect(
      (await rejection(replyToFollowUp(riley, { followUpId: crypto.randomUUID(), text: "Hello" })))
        .code,
    ).toBe("not_found");

    // A reviewer who once asked the agent themselves cannot close their own follow-up.
    const own = await startTurn(riley, {
      text: "Order 999999 arrived broken, I want my money back",
    });
    await db.$transaction((tx) =>
      tx.followUp.create({ data: { runId: own.runId, reason: "terminated: test" } }),
    );
    const followUp = await db.followUp.findUniqueOrThrow({ where: { runId: own.runId } });
    expect(
      (await rejection(replyToFollowUp(riley, { followUpId: followUp.id, text: "Done" }))).code,
    ).toBe("forbidden");
    expect((await db.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).status).toBe(
      "open",
    );
  });
});
