// The runbooks' "checked on the demo" steps, done against the product: what each says you will
// see, which rule breaches, and that the switch it names does what it says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setFault } from "@/agents/demo-shop/faults";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { measure } from "@/lib/alerts/measure";
import { listAlerts } from "@/lib/alerts/queries";
import { DEFAULT_ALERT_RULES } from "@/lib/alerts/rule-schema";
import { effectiveSettings, saveSettings } from "@/lib/agent-settings/settings";
import { DEFAULT_WORKSPACE_LIMITS } from "@/lib/agent-settings/workspace-limits-schema";
import { effectiveLimits, saveLimits } from "@/lib/agent-settings/workspace-limits";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { AnthropicProvider } from "@/lib/model/anthropic";
import { OfflineDemoModel } from "@/lib/model/offline";
import type { ModelProvider, ModelRequest, ModelResponse } from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { startFakeAnthropic, type FakeAnthropic } from "../support/fake-anthropic";
import { freshOrder } from "../support/orders";

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
  // Many turns in a minute (and other files' just before): lift the per-user rate for this file.
  // Baselines and alert windows measure every run of the last days: other files' runs (in whatever
  // order the files ran) are moved out of reach while this file runs, and put back after it.
  shifted = (
    await db.$queryRaw<
      { id: string }[]
    >`update runs set created_at = created_at - interval '8 days', finished_at = finished_at - interval '8 days' returning id`
  ).map((r) => r.id);
  limitsBefore = (await effectiveLimits()).limits;
  await saveLimits(await actorFor("admin@example.com"), {
    limits: { ...limitsBefore, maxTurnsPerMinute: Math.max(600, limitsBefore.maxTurnsPerMinute) },
    reason: "runbooks test: many turns",
  });
});
/** Every run this file started: moved back in time when it ends, so the next file's users are not rate-limited by this one's turns. */
const started: string[] = [];
/** The per-user limits before this file lifted them, put back after it. */
let limitsBefore = DEFAULT_WORKSPACE_LIMITS;
/** Other files' runs moved out of this file's windows, put back after it. */
let shifted: string[] = [];

afterAll(async () => {
  await db.$executeRaw`update runs set created_at = created_at + interval '8 days', finished_at = finished_at + interval '8 days' where id = any(${shifted}::uuid[])`;
  await db.$executeRaw`update runs set created_at = created_at - interval '2 minutes' where id = any(${started}::uuid[])`;
  await saveLimits(await actorFor("admin@example.com"), {
    limits: limitsBefore,
    reason: "runbooks test done: the limits as they were",
  });
  await fake.close();
  await stopBoss();
});

async function turn(text: string, model: ModelProvider, email = "user@example.com") {
  const { runId } = await startTurn(await actorFor(email), { text });
  started.push(runId);
  await advanceRun(runId, { model, workerId: "runbooks" });
  return db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { events: { orderBy: { seq: "asc" } }, toolCalls: true, followUp: true },
  });
}

/** Routes to the refunds agent, looks the order up, then answers. */
function lookupModel(orderId: number): ModelProvider {
  const usage = { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 };
  return {
    name: "scripted",
    async complete(request: ModelRequest): Promise<ModelResponse> {
      if (request.toolChoice?.type === "tool")
        return {
          model: "m",
          stopReason: "tool_use",
          usage,
          retries: [],
          content: [
            {
              type: "tool_use",
              id: "r",
              name: "classify_intent",
              input: { intent: "payment_query", confidence: 0.9, rationale: "order status" },
            },
          ],
        };
      const answered = request.messages.some(
        (m) => typeof m.content !== "string" && m.content.some((b) => b.type === "tool_result"),
      );
      if (answered)
        return {
          model: "m",
          stopReason: "end_turn",
          usage,
          retries: [],
          content: [{ type: "text", text: "I cannot look that order up right now." }],
        };
      return {
        model: "m",
        stopReason: "tool_use",
        usage,
        retries: [],
        content: [
          {
            type: "tool_use",
            id: `l${orderId}`,
            name: "lookup_order",
            input: { order_id: orderId, confidence: 0.9, rationale: "look it up" },
          },
        ],
      };
    },
  };
}

describe("runbook: the model provider is failing or rate-limiting", () => {
  it("runs fail as model_error: rate_limited with their retries in the trace, queue follow-ups, and failure-rate breaches", async () => {
    fake.setDefault({ kind: "error", status: 429, retryAfterSeconds: 1 });
    const model = new AnthropicProvider({
      apiKey: "sk-test-runbook",
      baseURL: fake.url,
      sleep: async () => {},
    });
    try {
      for (let i = 0; i < 10; i++) {
        const run = await turn(
          "Was my card charged twice?",
          model,
          i % 2 ? "user@example.com" : "user2@example.com",
        );
        expect(run.status).toBe("failed");
        expect(run.statusReason).toBe("model_error: rate_limited");
        expect(run.followUp).not.toBeNull();
        const failed = run.events.find(
          (e) => e.kind === "model_call" && e.name.endsWith("· failed"),
        )!;
        expect(failed.data).toMatchObject({
          error: "rate_limited",
          retries: expect.arrayContaining([expect.objectContaining({ status: 429 })]),
        });
      }
    } finally {
      fake.setDefault(undefined);
    }
    const measured = await measure(
      { ...DEFAULT_ALERT_RULES["failure-rate"]!, windowMinutes: 2 },
      new Date(),
    );
    expect(measured.sample).toBeGreaterThanOrEqual(10);
    expect(measured.breaching).toBe(true);
  });
});

describe("runbook: a tool's upstream is failing or stalling", () => {
  it("shows the retried upstream error, and the deny policy keeps the agent off the tool", async () => {
    const orderId = await freshOrder(1500);
    await setFault(db, { operation: "lookup_order", mode: "upstream_error", remaining: null });
    try {
      const run = await turn(`What is the status of order ${orderId}?`, lookupModel(orderId));
      expect(run.events.map((e) => e.name)).toContain("lookup_order · upstream_error, retrying");
      expect(run.toolCalls[0]).toMatchObject({
        tool: "lookup_order",
        status: "failed",
        error: expect.objectContaining({ kind: "upstream_error" }),
      });
      expect(run.status).toBe("completed");
    } finally {
      await setFault(db, { operation: "lookup_order", mode: null, remaining: null });
    }

    const admin = await actorFor("admin@example.com");
    const current = await effectiveSettings("refunds");
    await saveSettings(admin, {
      agent: "refunds",
      settings: {
        ...current.settings,
        toolPolicies: { ...current.settings.toolPolicies, lookup_order: "deny" },
      },
      reason: "runbook: upstream down",
    });
    try {
      const run = await turn(`What is the status of order ${orderId}?`, lookupModel(orderId));
      expect(run.toolCalls[0]).toMatchObject({
        tool: "lookup_order",
        status: "refused",
        error: {
          kind: "forbidden",
          message: "Tool lookup_order is switched off for the refunds agent",
        },
      });
    } finally {
      const now = await effectiveSettings("refunds");
      await saveSettings(admin, {
        agent: "refunds",
        settings: {
          ...now.settings,
          toolPolicies: { ...now.settings.toolPolicies, lookup_order: "auto" },
        },
        reason: "runbook: upstream back",
      });
    }
  });
});

describe("runbook: the approval queue is past its SLA", () => {
  it("fires approval-backlog once an item has waited 30 minutes, linking this runbook", async () => {
    const orderId = await freshOrder(4200);
    const run = await turn(
      `Order ${orderId} arrived broken, I want my money back`,
      new OfflineDemoModel(),
    );
    expect(run.status).toBe("awaiting_approval");
    const later = new Date(Date.now() + 31 * 60_000);
    const transitions = await evaluateAlerts(later);
    const backlog = transitions.find((t) => t.key === "approval-backlog");
    // Firing now, or already firing from an older item another test left waiting.
    expect(
      backlog?.to === "firing" ||
        (await db.alert.count({ where: { ruleKey: "approval-backlog", status: "firing" } })) === 1,
    ).toBe(true);
    const { firing } = await listAlerts();
    expect(firing.find((a) => a.ruleKey === "approval-backlog")?.runbook).toEqual({
      name: "approval-backlog",
      title: "The approval queue is past its SLA",
      href: "/ops/runbooks/approval-backlog",
    });
    await db.alert.deleteMany({ where: { ruleKey: "approval-backlog" } });
  });
});
