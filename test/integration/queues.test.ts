// Team queues in the inbox: a reviewer sees their teams' items and items with no team, not other
// teams'; an admin sees all; an out-of-office hand-over shows the giver's queues to the other
// reviewer while it lasts, and revoking it takes them away at once. Each step is audited.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inboxQuery, listPending, pendingCount } from "@/lib/approvals/queries";
import { visibleQueues } from "@/lib/approvals/queues";
import { db } from "@/lib/db";
import { actorFor } from "../support/actors";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const { delegateQueuesAction, revokeDelegationAction } = await import("@/lib/teams/actions");

const tag = randomUUID().slice(0, 8);
const AGENT = `queues_${tag}`;
const TEAMS = [`q_risk_${tag}`, `q_vip_${tag}`];
let ids: Record<"risk" | "vip" | "none", string>;

beforeAll(async () => {
  const reviewer = await actorFor("reviewer@example.com");
  await db.team.createMany({
    data: TEAMS.map((name) => ({ name, title: name, slaSeconds: 3600 })),
  });
  await db.teamMember.create({ data: { teamName: TEAMS[0]!, userId: reviewer.id } });
  const user = await actorFor("user@example.com");
  const conversation = await db.conversation.create({ data: { userId: user.id } });
  const run = await db.run.create({
    data: {
      conversationId: conversation.id,
      userId: user.id,
      request: "queues fixture",
      modelProvider: "offline-demo",
      deadlineAt: new Date(Date.now() + 3_600_000),
    },
  });
  const teams = { risk: TEAMS[0]!, vip: TEAMS[1]!, none: null };
  ids = { risk: randomUUID(), vip: randomUUID(), none: randomUUID() };
  for (const key of ["risk", "vip", "none"] as const) {
    const call = await db.toolCall.create({
      data: {
        runId: run.id,
        toolUseId: `toolu_${key}`,
        turn: 1,
        tool: "tool_one",
        irreversible: true,
        arguments: {},
        argsHash: key.padStart(64, "0"),
        status: "pending_approval",
        idempotencyKey: `cs_${randomUUID()}`,
      },
    });
    await db.approval.create({
      data: {
        id: ids[key],
        toolCallId: call.id,
        runId: run.id,
        agent: AGENT,
        tool: "tool_one",
        reasons: [],
        proposedArguments: {},
        proposedHash: call.argsHash,
        team: teams[key],
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
  }
});

afterAll(async () => {
  await db.approval.updateMany({ where: { agent: AGENT }, data: { status: "expired" } });
  await db.team.deleteMany({ where: { name: { in: TEAMS } } });
  signedIn.actor = null;
});

const seen = async (email: string) => {
  const viewer = await actorFor(email);
  const page = await listPending(inboxQuery.parse({ agent: AGENT, limit: 100 }), viewer.id);
  return page.items.map((i) => i.id).sort();
};

describe("team queues", () => {
  it("show a reviewer their teams' items and items with no team; an admin all", async () => {
    expect(await seen("reviewer@example.com")).toEqual([ids.risk, ids.none].sort());
    expect(await seen("reviewer2@example.com")).toEqual([ids.none]);
    expect(await seen("admin@example.com")).toEqual([ids.risk, ids.vip, ids.none].sort());
    expect(await visibleQueues((await actorFor("admin@example.com")).id)).toEqual({ all: true });
    // The navigation badge counts the same queues: only this file's items have a team.
    const count = async (email: string) => pendingCount((await actorFor(email)).id);
    const all = await count("admin@example.com");
    expect(all - (await count("reviewer@example.com"))).toBe(1);
    expect(all - (await count("reviewer2@example.com"))).toBe(2);
  });

  it("follow an out-of-office hand-over while it lasts, and stop at once when it is revoked", async () => {
    signedIn.actor = await actorFor("reviewer@example.com");
    const refused = await delegateQueuesAction({
      toEmail: "user@example.com",
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(!refused.ok && refused.error.message).toMatch(
      /^to: user@example.com is not an active reviewer/,
    );
    const backwards = await delegateQueuesAction({
      toEmail: "reviewer2@example.com",
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(backwards).toMatchObject({ ok: false, error: { code: "invalid_input" } });

    const later = await delegateQueuesAction({
      toEmail: "reviewer2@example.com",
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    });
    expect(later).toMatchObject({ ok: true });
    expect(await seen("reviewer2@example.com")).toEqual([ids.none]);

    const now = await delegateQueuesAction({
      toEmail: "reviewer2@example.com",
      startsAt: new Date(Date.now() - 1000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    if (!now.ok) throw new Error(now.error.message);
    expect(await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).toMatchObject({
      action: "queues_delegated",
      actorEmail: "reviewer@example.com",
      payload: { to: "reviewer2@example.com" },
    });
    expect(await seen("reviewer2@example.com")).toEqual([ids.risk, ids.none].sort());
    expect(await seen("reviewer@example.com")).toEqual([ids.risk, ids.none].sort());

    signedIn.actor = await actorFor("reviewer2@example.com");
    expect(await revokeDelegationAction({ id: now.data.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    signedIn.actor = await actorFor("reviewer@example.com");
    expect(await revokeDelegationAction({ id: now.data.id })).toMatchObject({ ok: true });
    expect(await seen("reviewer2@example.com")).toEqual([ids.none]);
    expect(await revokeDelegationAction({ id: now.data.id })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });
    if (later.ok) await revokeDelegationAction({ id: later.data.id });
  });
});
