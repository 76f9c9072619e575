import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSettings, saveSettings } from "@/lib/agent-settings/settings";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { AnthropicProvider } from "@/lib/model/anthropic";
import { OfflineDemoModel } from "@/lib/model/offline";
import type { ModelProvider } from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { checkLimits } from "@/lib/runtime/limits";
import { actorFor } from "../support/actors";
import { startFakeAnthropic, type FakeAnthropic } from "../support/fake-anthropic";
import { freshOrder } from "../support/orders";

const settings = defaultSettings("refunds");
const fresh = {
  iterations: 0,
  inputTokens: 0,
  outputTokens: 0,
  costMicros: 0,
  deadlineAt: new Date(Date.now() + 60_000),
};

describe("limit checks", () => {
  it("name the limit each budget hits", () => {
    expect(checkLimits(fresh, settings)).toBeNull();
    expect(checkLimits({ ...fresh, iterations: settings.maxIterations }, settings)?.limit).toBe(
      "max_iterations",
    );
    expect(
      checkLimits(
        { ...fresh, inputTokens: settings.maxTokensPerRun - 10, outputTokens: 10 },
        settings,
      )?.limit,
    ).toBe("token_budget");
    expect(checkLimits({ ...fresh, costMicros: settings.maxCostMicros }, settings)).toMatchObject({
      limit: "cost_budget",
      message: "Spent $0.2500 of $0.2500",
    });
    expect(checkLimits({ ...fresh, deadlineAt: new Date(Date.now() - 1) }, settings)).toMatchObject(
      {
        limit: "deadline",
        message: "Ran past its 300s deadline",
      },
    );
  });
});

describe("runs stopped by a budget", () => {
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => {
    await fake.close();
    await stopBoss();
  });

  async function runUnder(change: Partial<typeof settings>, model: ModelProvider) {
    const admin = await actorFor("admin@example.com");
    await saveSettings(admin, {
      agent: "refunds",
      settings: { ...settings, ...change },
      reason: "test: a tight budget",
    });
    try {
      const user = await actorFor("user@example.com");
      const { runId } = await startTurn(user, {
        text: `Order ${await freshOrder(1800)} arrived broken, I want my money back`,
      });
      await advanceRun(runId, { model, workerId: "limits" });
      return await db.run.findUniqueOrThrow({ where: { id: runId }, include: { toolCalls: true } });
    } finally {
      await saveSettings(admin, { agent: "refunds", settings, reason: "test: restore defaults" });
    }
  }

  it("ends a run that spent its token budget, before the next model call", async () => {
    const run = await runUnder({ maxTokensPerRun: 1_000 }, new OfflineDemoModel());
    expect(run.status).toBe("terminated");
    expect(run.statusReason).toMatch(/^token_budget: Used \d+ of 1000 tokens$/);
    expect(run.iterations).toBe(1);
    expect(run.toolCalls.every((c) => !c.irreversible)).toBe(true);
    expect(
      await db.traceEvent.count({ where: { runId: run.id, kind: "limit", name: "token_budget" } }),
    ).toBe(1);
  });

  it("ends a run that spent its cost budget, priced from the model's usage", async () => {
    fake.setDefault({
      kind: "message",
      content: [
        fake.toolUse("classify_intent", {
          intent: "refund_request",
          confidence: 0.9,
          rationale: "refund",
        }),
      ],
      usage: { input_tokens: 2_000, output_tokens: 100 },
    });
    const model = new AnthropicProvider({
      apiKey: "sk-test",
      baseURL: fake.url,
      sleep: async () => {},
    });
    const run = await runUnder({ maxCostMicros: 1_000 }, model);
    fake.setDefault(undefined);
    expect(run.status).toBe("terminated");
    expect(run.statusReason).toMatch(/^cost_budget: Spent \$0\.00\d+ of \$0\.0010$/);
    expect(run.costMicros).toBeGreaterThanOrEqual(1_000);
    expect(run.iterations).toBe(0);
  });
});
