// Limits on what users can spend: runs in flight, turns per minute and a daily budget per user
// (workspace limits, versioned), and a daily budget per agent (the agent's settings). Over a
// limit the turn is refused with a message naming the limit and when to try again, and nothing
// is written: no message, no run, no job. Checked with real concurrency against PostgreSQL.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { ModelProvider } from "@/lib/model/types";
import { actorFor } from "../support/actors";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));

const { db } = await import("@/lib/db");
const { startTurn } = await import("@/lib/chat/service");
const { stopBoss } = await import("@/lib/jobs/queue");
const { OfflineDemoModel } = await import("@/lib/model/offline");
const { advanceRun } = await import("@/lib/runtime/advance");
const { DEFAULT_WORKSPACE_LIMITS, effectiveLimits, limitsHistory, saveLimits } =
  await import("@/lib/agent-settings/workspace-limits");
const { defaultSettings, effectiveSettings, saveSettings } =
  await import("@/lib/agent-settings/settings");
const { sendMessage } = await import("@/lib/chat/actions");
const { agentSpentToday } = await import("@/lib/spend/usage");
const { formatMicros: dollars } = await import("@/lib/format");
const { saveWorkspaceLimits } = await import("@/lib/agent-settings/actions");
const chatRoute = await import("@/app/api/chat/route");

const deps = { model: new OfflineDemoModel(), workerId: "spend-test-worker" };

async function freshUser(): Promise<Actor> {
  const user = await db.user.create({
    data: {
      email: `spend-${randomUUID().slice(0, 8)}@example.test`,
      name: "Spend Tester",
      passwordHash: "not-a-login",
      role: "user",
    },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

async function setLimits(limits: Partial<typeof DEFAULT_WORKSPACE_LIMITS>) {
  const admin = await actorFor("admin@example.com");
  await saveLimits(admin, {
    limits: { ...DEFAULT_WORKSPACE_LIMITS, ...limits },
    reason: "test: spend limits",
  });
}

/** What the user's turns left behind: messages, runs, and queued advance jobs. */
async function written(userId: string) {
  const runs = await db.run.findMany({ where: { userId }, select: { id: true } });
  const ids = runs.map((r) => r.id);
  const [row] = await db.$queryRaw<
    { jobs: bigint }[]
  >`select count(*) as jobs from pgboss.job where name = 'run-wake' and singleton_key = any(${ids}::text[])`;
  const messages = await db.message.count({ where: { conversation: { userId } } });
  return { runs: runs.length, messages, jobs: Number(row?.jobs ?? 0) };
}

type Outcome =
  | { ok: true; runId: string }
  | { ok: false; code: string; limit: unknown; retryAfterSeconds: unknown; message: string };
const attempt = (actor: Actor, text: string): Promise<Outcome> =>
  startTurn(actor, { text }).then(
    (r) => ({ ok: true as const, runId: r.runId }),
    (error: unknown) => {
      if (!(error instanceof AppError)) throw error;
      return {
        ok: false as const,
        code: error.code,
        limit: error.details?.limit,
        retryAfterSeconds: error.details?.retryAfterSeconds,
        message: error.message,
      };
    },
  );

/** A model call of `costMicros` recorded on a run of the user, at `at`, as a step records it. */
async function spend(
  userId: string,
  costMicros: number,
  at = new Date(),
  agent: string | null = null,
) {
  const conversation =
    (await db.conversation.findFirst({ where: { userId } })) ??
    (await db.conversation.create({ data: { userId } }));
  const run = await db.run.create({
    data: {
      conversationId: conversation.id,
      userId,
      request: "earlier request",
      agent,
      status: "completed",
      modelProvider: "anthropic",
      deadlineAt: at,
      costMicros,
      createdAt: at,
      updatedAt: at,
    },
  });
  await db.traceEvent.create({
    data: {
      runId: run.id,
      kind: "model_call",
      name: "executor · claude",
      costMicros,
      inputTokens: 1000,
      outputTokens: 100,
      createdAt: at,
    },
  });
  // An agent's spend is also counted on its day, as the step's write counts it (lib/spend/usage.ts).
  if (agent) {
    await db.$executeRaw`insert into agent_spend_days (agent, day, shard, cost_micros) values (${agent}, ${at.toISOString().slice(0, 10)}::date, 0, ${costMicros})
      on conflict (agent, day, shard) do update set cost_micros = agent_spend_days.cost_micros + excluded.cost_micros`;
  }
  return run;
}

/** The offline model under the Anthropic provider's name, so its calls are priced like real ones. */
const offline = new OfflineDemoModel();
const priced: ModelProvider = {
  name: "anthropic",
  async complete(request) {
    const answer = await offline.complete(request);
    return {
      ...answer,
      model: request.model,
      usage: { ...answer.usage, inputTokens: 1_000, outputTokens: 200 },
    };
  },
};

beforeEach(() => {
  signedIn.actor = null;
});

// The limits the rest of the suite runs under (set by the global setup), put back after each test.
let suiteLimits = DEFAULT_WORKSPACE_LIMITS;
beforeAll(async () => {
  suiteLimits = (await effectiveLimits()).limits;
});

afterEach(async () => {
  await setLimits(suiteLimits);
});

afterAll(async () => {
  const admin = await actorFor("admin@example.com");
  await saveSettings(admin, {
    agent: "refunds",
    settings: defaultSettings("refunds"),
    reason: "Restore the defaults after the spend tests",
  });
  await stopBoss();
});

describe("runs in flight per user", () => {
  it("starts exactly 3 of 12 concurrent turns with a limit of 3, and the other 9 write nothing", async () => {
    await setLimits({ maxRunsInFlight: 3, maxTurnsPerMinute: 100 });
    const user = await freshUser();
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(user, `Where is order ${1000 + i}?`)),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    const refused = outcomes.filter((o) => !o.ok);
    expect(refused).toHaveLength(9);
    for (const r of refused) {
      expect(r).toMatchObject({
        code: "rate_limited",
        limit: "runs_in_flight",
        retryAfterSeconds: null,
      });
      expect(r.message).toMatch(
        /still working on 3 of your requests \(at most 3 at once\).*not sent/,
      );
    }
    expect(await written(user.id)).toEqual({ runs: 3, messages: 3, jobs: 3 });
  });

  it("does not count runs parked for a reviewer, and admits a turn once one finishes", async () => {
    await setLimits({ maxRunsInFlight: 1, maxTurnsPerMinute: 100 });
    const user = await freshUser();
    const first = await attempt(user, "Order 1042 arrived broken, I want my money back");
    expect(first.ok).toBe(true);
    expect(await attempt(user, "and another thing")).toMatchObject({
      ok: false,
      limit: "runs_in_flight",
    });
    await db.run.updateMany({ where: { userId: user.id }, data: { status: "awaiting_approval" } });
    expect(await attempt(user, "Where is my parcel?")).toMatchObject({ ok: true });
    expect(await attempt(user, "hello?")).toMatchObject({ ok: false, limit: "runs_in_flight" });
    await db.run.updateMany({
      where: { userId: user.id, status: "queued" },
      data: { status: "completed" },
    });
    expect(await attempt(user, "hello again")).toMatchObject({ ok: true });
  });
});

describe("turns per minute per user", () => {
  it("admits exactly the limit of concurrent turns, says when to try again, and admits again a minute later", async () => {
    await setLimits({ maxRunsInFlight: 50, maxTurnsPerMinute: 2 });
    const user = await freshUser();
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => attempt(user, `question ${i}`)),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
    const refused = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    expect(refused).toHaveLength(4);
    for (const r of refused) {
      expect(r).toMatchObject({ code: "rate_limited", limit: "turns_per_minute" });
      expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(55);
      expect(r.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(r.message).toMatch(
        /^You can send up to 2 messages a minute\. Try again in (\d+ seconds|1 minute); this message was not sent\.$/,
      );
    }
    expect(await written(user.id)).toEqual({ runs: 2, messages: 2, jobs: 2 });

    // One of the two turns is now 50 s old: the window frees a place in about 10 s.
    const [older] = await db.run.findMany({ where: { userId: user.id }, take: 1 });
    await db.run.update({
      where: { id: older!.id },
      data: { createdAt: new Date(Date.now() - 50_000) },
    });
    const soon = await attempt(user, "now?");
    expect(soon).toMatchObject({ ok: false, limit: "turns_per_minute" });
    expect(!soon.ok && Number(soon.retryAfterSeconds)).toBeLessThanOrEqual(10);

    await db.run.updateMany({
      where: { userId: user.id },
      data: { createdAt: new Date(Date.now() - 61_000) },
    });
    expect(await attempt(user, "and now?")).toMatchObject({ ok: true });
  });
});

describe("daily budget per user", () => {
  it("refuses a user whose model calls today reached the budget, until midnight UTC; yesterday's and others' spend do not count", async () => {
    await setLimits({ userDailyBudgetMicros: 1_000_000 });
    const user = await freshUser();
    const other = await freshUser();
    await spend(user.id, 900_000, new Date(Date.now() - 86_400_000 * 1.5));
    await spend(other.id, 5_000_000);
    await spend(user.id, 600_000);
    expect(await attempt(user, "a question")).toMatchObject({ ok: true });
    await spend(user.id, 400_000);
    const before = await written(user.id);
    const refused = await attempt(user, "one more question");
    expect(refused).toMatchObject({ ok: false, code: "rate_limited", limit: "user_daily_budget" });
    expect(!refused.ok && refused.message).toMatch(
      /^You have used today's budget for the assistant \(\$1\.00\)\. You can ask again after midnight UTC, in .+\. This message was not sent\.$/,
    );
    const midnight = new Date(new Date().setUTCHours(24, 0, 0, 0));
    const wait = !refused.ok ? Number(refused.retryAfterSeconds) : 0;
    expect(Math.abs(Date.now() + wait * 1000 - midnight.getTime())).toBeLessThan(5_000);
    expect(await written(user.id)).toEqual(before);
    expect(await attempt(other, "the other user is over too")).toMatchObject({
      ok: false,
      limit: "user_daily_budget",
    });
  });
});

describe("daily budget per agent", () => {
  it("counts a priced run's model calls, the router's included, on its agent's day exactly once", async () => {
    const user = await freshUser();
    const before = await agentSpentToday("refunds");
    const turn = await attempt(user, "Order 1042 arrived broken, I want my money back");
    const runId = turn.ok ? turn.runId : "";
    await advanceRun(runId, { model: priced, workerId: "spend-priced-worker" });
    const run = await db.run.findUniqueOrThrow({
      where: { id: runId },
      include: { events: { where: { kind: "model_call" } } },
    });
    expect(run.agent).toBe("refunds");
    expect(run.events.map((e) => e.name.split(" ")[0])).toEqual(
      expect.arrayContaining(["router", "executor"]),
    );
    expect(run.costMicros).toBeGreaterThan(0);
    expect(run.events.reduce((n, e) => n + (e.costMicros ?? 0), 0)).toBe(run.costMicros);
    expect((await agentSpentToday("refunds")) - before).toBe(run.costMicros);
  });

  it("ends a run routed to an agent over its budget before the executor runs, says when to ask again, and queues no follow-up", async () => {
    // Other test files may have spent on the refunds agent today (the Anthropic tests price calls).
    const budget = (await agentSpentToday("refunds")) + 1_000_000;
    const admin = await actorFor("admin@example.com");
    await saveSettings(admin, {
      agent: "refunds",
      settings: { ...defaultSettings("refunds"), dailyBudgetMicros: budget },
      reason: "test: a small daily budget",
    });
    const user = await freshUser();
    const spender = await freshUser();
    await spend(spender.id, 999_999, new Date(), "refunds");

    // Just under the budget: the refunds agent still works.
    const under = await attempt(user, "Order 1042 arrived broken, I want my money back");
    await advanceRun(under.ok ? under.runId : "", deps);
    expect(
      (await db.run.findUniqueOrThrow({ where: { id: under.ok ? under.runId : "" } })).status,
    ).not.toBe("terminated");

    await spend(spender.id, 1, new Date(), "refunds");
    const over = await attempt(user, "I was charged twice for order 1043");
    expect(over.ok).toBe(true);
    const runId = over.ok ? over.runId : "";
    await advanceRun(runId, deps);
    const run = await db.run.findUniqueOrThrow({
      where: { id: runId },
      include: { toolCalls: true, followUp: true, events: true },
    });
    expect(run).toMatchObject({
      status: "terminated",
      agent: "refunds",
      statusReason: `agent_daily_budget: Spent ${dollars(budget)} of its ${dollars(budget)} daily budget`,
    });
    expect(run.toolCalls).toEqual([]);
    expect(run.followUp).toBeNull();
    expect(run.events.filter((e) => e.kind === "model_call").map((e) => e.name)).toEqual([
      expect.stringMatching(/^router/),
    ]);
    const answer = await db.message.findFirstOrThrow({ where: { runId, author: "assistant" } });
    expect(answer.text).toMatch(
      /^The refunds assistant has used its budget for today, so I can't work on this request now, and nothing was done\. Please ask again after midnight UTC, in .+\.$/,
    );

    // Another agent's budget is its own: a general question is answered as usual.
    const general = await attempt(user, "How long does delivery take?");
    await advanceRun(general.ok ? general.runId : "", deps);
    expect(
      (await db.run.findUniqueOrThrow({ where: { id: general.ok ? general.runId : "" } })).status,
    ).toBe("completed");
    expect((await effectiveSettings("refunds")).settings.dailyBudgetMicros).toBe(budget);
  });
});

describe("the chat's send action", () => {
  it("answers a refused turn with the limit's message, not a failure, and the user's text is not stored", async () => {
    await setLimits({ maxTurnsPerMinute: 1 });
    const user = await freshUser();
    signedIn.actor = user;
    expect(await sendMessage({ text: "first" })).toMatchObject({ ok: true });
    const refused = await sendMessage({ text: "second, too soon" });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: "rate_limited",
        message: expect.stringMatching(/^You can send up to 1 message a minute\. Try again in/),
        details: { limit: "turns_per_minute" },
      },
    });
    expect(
      await db.message.count({
        where: { text: "second, too soon", conversation: { userId: user.id } },
      }),
    ).toBe(0);
  });
});

describe("POST /api/chat", () => {
  const post = (body: string, contentType = "application/json") =>
    chatRoute.POST(
      new Request("http://countersign.test/api/chat", {
        method: "POST",
        headers: { "content-type": contentType },
        body,
      }),
      {
        params: Promise.resolve({}),
      },
    );

  it("sends a turn (200 with its run), refuses bad bodies (400) and answers a limit with 429 naming it, queuing nothing", async () => {
    await setLimits({ maxTurnsPerMinute: 1 });
    const user = await freshUser();
    expect((await post(JSON.stringify({ text: "hi" }))).status).toBe(401);
    signedIn.actor = user;
    expect(await (await post("text=hi", "application/x-www-form-urlencoded")).json()).toMatchObject(
      {
        error: { code: "invalid_input", message: "Send the body as application/json" },
      },
    );
    const empty = await post(JSON.stringify({ text: "   " }));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { message: "text: Write a message first" } });
    expect((await post(JSON.stringify({ text: 42 }))).status).toBe(400);

    const sent = await post(JSON.stringify({ text: "How long does delivery take?" }));
    expect(sent.status).toBe(200);
    const { runId } = (await sent.json()) as { runId: string };
    expect(await db.run.findUnique({ where: { id: runId } })).toMatchObject({
      userId: user.id,
      status: "queued",
    });

    const refused = await post(JSON.stringify({ text: "again" }));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      error: {
        code: "rate_limited",
        details: { limit: "turns_per_minute", retryAfterSeconds: expect.any(Number) },
      },
    });
    expect(await written(user.id)).toEqual({ runs: 1, messages: 1, jobs: 1 });
  });
});

describe("the workspace limits", () => {
  it("are versioned with who, when and why, audited with before and after, and refuse a stale save", async () => {
    const admin = await actorFor("admin@example.com");
    const before = await effectiveLimits();
    const saved = await saveLimits(
      admin,
      { limits: { ...DEFAULT_WORKSPACE_LIMITS, maxRunsInFlight: 5 }, reason: "Busy season" },
      before.version,
    );
    expect(saved.version).toBe(before.version + 1);
    expect(await effectiveLimits()).toEqual({
      version: saved.version,
      limits: { ...DEFAULT_WORKSPACE_LIMITS, maxRunsInFlight: 5 },
    });
    expect((await limitsHistory())[0]).toMatchObject({
      version: saved.version,
      by: "admin@example.com",
      reason: "Busy season",
      limits: { maxRunsInFlight: 5 },
    });
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { action: "workspace_limits.saved" },
      orderBy: { seq: "desc" },
    });
    expect(audit).toMatchObject({
      actorEmail: "admin@example.com",
      payload: { version: saved.version, before: before.limits, after: { maxRunsInFlight: 5 } },
    });

    await expect(
      saveLimits(admin, { limits: DEFAULT_WORKSPACE_LIMITS, reason: "Stale" }, before.version),
    ).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/changed since you opened them/),
    });
    const racing = await Promise.allSettled(
      [1, 2].map((n) =>
        saveLimits(admin, { limits: DEFAULT_WORKSPACE_LIMITS, reason: `race ${n}` }, saved.version),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(racing.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "conflict" },
    });
  });

  it("are saved by admins only, and bad values are refused naming the field as the form labels it", async () => {
    const current = await effectiveLimits();
    const input = (limits: unknown, reason = "Testing refusals") => ({
      limits,
      reason,
      basedOnVersion: current.version,
    });
    signedIn.actor = await actorFor("reviewer@example.com");
    expect(await saveWorkspaceLimits(input(DEFAULT_WORKSPACE_LIMITS))).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    signedIn.actor = await actorFor("admin@example.com");
    const refuse = async (limits: unknown, reason?: string) => {
      const result = await saveWorkspaceLimits(input(limits, reason));
      expect(result.ok).toBe(false);
      return !result.ok && result.error;
    };
    expect(await refuse({ ...DEFAULT_WORKSPACE_LIMITS, maxRunsInFlight: 0 })).toMatchObject({
      code: "invalid_input",
      message: "Requests in progress per user must be at least 1",
    });
    expect(await refuse({ ...DEFAULT_WORKSPACE_LIMITS, maxTurnsPerMinute: 2.5 })).toMatchObject({
      message: "Messages per minute per user must be a whole number",
    });
    expect(
      await refuse({ ...DEFAULT_WORKSPACE_LIMITS, userDailyBudgetMicros: 2_000_000_000 }),
    ).toMatchObject({
      message: "Daily budget per user in dollars must be at most $1000.00",
    });
    expect(await refuse({ maxRunsInFlight: "3" })).toMatchObject({
      message: expect.stringMatching(
        /^Requests in progress per user must be a number; Messages per minute per user/,
      ),
    });
    expect(await refuse(DEFAULT_WORKSPACE_LIMITS, "  ")).toMatchObject({
      message: "Say why you are changing the limits",
    });
    expect(await refuse(DEFAULT_WORKSPACE_LIMITS, "bad\u0000reason")).toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/^reason: contains a NUL character/),
    });
    expect((await effectiveLimits()).version).toBe(current.version);
  });
});
