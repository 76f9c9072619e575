// Queues' SLAs: an item parked with a team gets the team's SLA as its due time; the inbox flags
// it near and past due; past it, the maintenance pass escalates it exactly once (escalated_at set,
// the escalation contact told, moved to the escalation queue), and at its time to live it expires
// as expired — not rejected — and the customer is told in plain words.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireDueApprovals } from "@/lib/approvals/expire";
import { inboxQuery, listPending } from "@/lib/approvals/queries";
import { dueState } from "@/lib/approvals/queues";
import { escalateOverdueApprovals } from "@/lib/approvals/sla";
import { chainAllPendingAudit } from "@/lib/audit/chainer";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const deps = { model: new OfflineDemoModel(), workerId: "sla-worker" };
const tag = randomUUID().slice(0, 6);
const TEAM = `sla_${tag}`;
const LEADS = `sla_leads_${tag}`;

beforeAll(async () => {
  await db.team.create({ data: { name: LEADS, title: "Leads", slaSeconds: 3600 } });
  await db.team.create({
    data: {
      name: TEAM,
      title: "Refund desk",
      slaSeconds: 60,
      escalationEmail: "reviewer2@example.com",
      escalateToTeam: LEADS,
    },
  });
});

afterAll(async () => {
  await db.team.deleteMany({ where: { name: { in: [TEAM, LEADS] } } });
  await stopBoss();
});

describe("a queue's SLA", () => {
  it("flags items near and past their due time", () => {
    const createdAt = new Date("2026-01-01T10:00:00Z");
    const dueAt = new Date("2026-01-01T11:00:00Z");
    const at = (iso: string) => dueState({ status: "pending", createdAt, dueAt }, new Date(iso));
    expect(at("2026-01-01T10:30:00Z")).toBe("on_time");
    expect(at("2026-01-01T10:50:00Z")).toBe("near");
    expect(at("2026-01-01T11:00:01Z")).toBe("overdue");
    expect(
      dueState({ status: "approved", createdAt, dueAt }, new Date("2026-01-01T11:30:00Z")),
    ).toBeNull();
  });

  it("escalates an item past it exactly once, then expires it as expired and tells the customer", async () => {
    const orderId = await freshOrder(3900);
    const user = await actorFor("user@example.com");
    const { runId } = await startTurn(user, {
      text: `Order ${orderId} arrived broken, I want my money back`,
    });
    await advanceRun(runId, deps);
    const parked = await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
    // Parked with the team two minutes ago, with no time to decide of its own: the team's SLA (1 minute) applies.
    const parkedAt = new Date(Date.now() - 120_000);
    await db.approval.update({
      where: { id: parked.id },
      data: { team: TEAM, createdAt: parkedAt },
    });

    const admin = await actorFor("admin@example.com");
    expect(await escalateOverdueApprovals()).toBeGreaterThanOrEqual(1);
    const escalated = await db.approval.findUniqueOrThrow({ where: { id: parked.id } });
    expect(escalated).toMatchObject({
      status: "pending",
      team: LEADS,
      onExpiry: "escalate",
      dueAt: new Date(parkedAt.getTime() + 60_000),
    });
    expect(escalated.escalatedAt).not.toBeNull();
    const listed = (
      await listPending(inboxQuery.parse({ agent: "refunds", limit: 100 }), admin.id)
    ).items.find((i) => i.id === parked.id);
    expect(listed).toMatchObject({
      team: LEADS,
      dueState: "overdue",
      escalatedAt: escalated.escalatedAt!.toISOString(),
    });

    const told = await db.notification.findMany({
      where: { approvalId: parked.id, channel: "in_app" },
      orderBy: { createdAt: "asc" },
    });
    expect(told.at(-1)?.payload).toMatchObject({
      escalatedTo: "reviewer2@example.com",
      reasons: [
        `Past its time to decide in Refund desk's queue: escalated to reviewer2@example.com, moved to ${LEADS}'s queue.`,
        "irreversible",
      ],
    });
    const trace = await db.traceEvent.findMany({
      where: { toolCallId: parked.toolCallId, name: "escalated: past its time to decide" },
    });
    expect(trace).toHaveLength(1);

    // Once: later passes leave it be, even in its new queue with its own SLA.
    expect(await escalateOverdueApprovals()).toBe(0);
    expect((await db.approval.findUniqueOrThrow({ where: { id: parked.id } })).escalatedAt).toEqual(
      escalated.escalatedAt,
    );
    expect(
      await db.notification.count({ where: { approvalId: parked.id, channel: "in_app" } }),
    ).toBe(told.length);
    await chainAllPendingAudit();
    expect(
      await db.auditEntry.count({ where: { approvalId: parked.id, action: "escalated" } }),
    ).toBe(1);

    // At its time to live it expires — expired, not rejected — and the customer hears it plainly.
    await db.approval.update({
      where: { id: parked.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await expireDueApprovals()).toBeGreaterThanOrEqual(1);
    const expired = await db.approval.findUniqueOrThrow({
      where: { id: parked.id },
      include: { toolCall: true },
    });
    expect(expired.status).toBe("expired");
    expect(expired.decidedById).toBeNull();
    expect(expired.toolCall.status).toBe("expired");
    await advanceRun(runId, deps);
    const texts = (
      await db.message.findMany({
        where: { runId, author: "assistant" },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      })
    ).map((m) => m.text);
    expect(texts.at(-2)).toBe(
      `Nobody from our team could confirm a refund of €39.00 for order ${orderId} in time, so nothing has been done. A member of our team will follow up here.`,
    );
    expect(await db.refund.count({ where: { orderId } })).toBe(0);
  });

  it("makes a rule's own time to decide with 'expire' the item's expiry", async () => {
    const orderId = await freshOrder(2500);
    const { runId } = await startTurn(await actorFor("user@example.com"), {
      text: `Order ${orderId} arrived broken, I want my money back`,
    });
    await advanceRun(runId, deps);
    const parked = await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
    const dueAt = new Date(Date.now() - 1000);
    await db.approval.update({ where: { id: parked.id }, data: { dueAt, onExpiry: "expire" } });
    expect(await escalateOverdueApprovals()).toBe(0);
    expect((await db.approval.findUniqueOrThrow({ where: { id: parked.id } })).expiresAt).toEqual(
      dueAt,
    );
    expect(await expireDueApprovals()).toBeGreaterThanOrEqual(1);
    expect((await db.approval.findUniqueOrThrow({ where: { id: parked.id } })).status).toBe(
      "expired",
    );
  });
});
