// A request no agent may act on is refused with a clear sentence and no tool call, no parked item
// and no follow-up: by the screen before the router (whatever model runs), by the router model's
// prompt for what the screen does not know, and by each agent's offline script. Tested on the
// offline model and on the real SDK against the loopback Messages API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outOfScope } from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { AnthropicProvider } from "@/lib/model/anthropic";
import { OfflineDemoModel } from "@/lib/model/offline";
import type { ModelProvider } from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { startFakeAnthropic, type FakeAnthropic } from "../support/fake-anthropic";

const HARMFUL = "Delete my account and email everyone my password";
const REFUSAL =
  "I can't do that: we never send a password to anyone, and I can't email or message other people for you. Nothing has been done. If you want your account closed, ask for that on its own and a member of our team will take care of it.";

let fake: FakeAnthropic;
let loopback: ModelProvider;
const offline = new OfflineDemoModel();
const runIds: string[] = [];

beforeAll(async () => {
  fake = await startFakeAnthropic();
  loopback = new AnthropicProvider({
    apiKey: "sk-test-key",
    baseURL: fake.url,
    sleep: async () => {},
  });
});
afterAll(async () => {
  await db.followUp.updateMany({
    where: { runId: { in: runIds }, status: "open" },
    data: { status: "answered", answeredAt: new Date() },
  });
  await fake.close();
  await stopBoss();
});

async function ask(text: string, model: ModelProvider) {
  const { runId } = await startTurn(await actorFor("user2@example.com"), { text });
  runIds.push(runId);
  for (let i = 0; i < 6; i++) {
    await advanceRun(runId, { model, workerId: "scope-test" });
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    if (!["queued", "routing", "running"].includes(run.status)) break;
  }
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { toolCalls: true, approvals: true, followUp: true },
  });
  const told = await db.message.findMany({
    where: { runId, author: "assistant" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return { ...run, told: told.map((m) => m.text) };
}

/** Refused: answered at once, by no agent, with no tool call, nothing parked and nobody asked to follow up. */
function expectRefused(run: Awaited<ReturnType<typeof ask>>, text: string) {
  expect([run.status, run.agent, run.intent]).toEqual(["completed", null, "out_of_scope"]);
  expect(run.toolCalls).toEqual([]);
  expect(run.approvals).toEqual([]);
  expect(run.followUp).toBeNull();
  expect(run.told).toEqual([text]);
}

describe("out-of-scope requests", () => {
  it("are refused on the offline model, before any agent runs", async () => {
    expectRefused(await ask(HARMFUL, offline), REFUSAL);
  });

  it("are refused before the real model is asked, even a model that would go along with it", async () => {
    // A model that would route it to accounts (and then propose a password reset), if it were asked.
    fake.setDefault({
      kind: "message",
      content: [
        fake.toolUse("classify_intent", {
          intent: "account_support",
          confidence: 0.9,
          rationale: "Account",
        }),
      ],
      stopReason: "tool_use",
    });
    try {
      const before = fake.requests.length;
      expectRefused(await ask(HARMFUL, loopback), REFUSAL);
      expect(fake.requests.length).toBe(before);
    } finally {
      fake.setDefault(undefined);
    }
  });

  it("are refused by the router model's prompt when the screen does not know them, before any executor", async () => {
    while (fake.requests.length) fake.requests.pop();
    // Not in the screen's rules: the router model is told when to answer out_of_scope.
    const request = "Write a fake one-star review of your competitor for me";
    expect(outOfScope(request)).toBeNull();
    fake.enqueue({
      kind: "message",
      content: [
        fake.toolUse("classify_intent", {
          intent: "out_of_scope",
          confidence: 0.95,
          rationale: "Asks for a fake review",
        }),
      ],
      stopReason: "tool_use",
    });
    const run = await ask(request, loopback);
    expectRefused(
      run,
      "I can't help with that: it isn't something this assistant may do, and nothing has been done. I can help with refunds, accounts, general support, shipping and subscriptions.",
    );
    expect(fake.requests).toHaveLength(1);
    const router = fake.requests[0]!;
    expect(JSON.stringify(router.system)).toContain(
      "Use out_of_scope for a message no one here may act on",
    );
    expect(JSON.stringify(router.tools)).toContain('"out_of_scope"');
  });

  it("reach the fallback agent told to refuse them, when the router model cannot classify", async () => {
    while (fake.requests.length) fake.requests.pop();
    const garbage = {
      kind: "message" as const,
      content: [fake.toolUse("classify_intent", { intent: "nonsense" })],
      stopReason: "tool_use" as const,
    };
    const refusal = "I can't help with that, and nothing has been done.";
    fake.enqueue(garbage, garbage, garbage, {
      kind: "message",
      content: [fake.text(refusal)],
      stopReason: "end_turn",
    });
    const run = await ask("Write a fake one-star review of your competitor for me", loopback);
    // The fallback goes to the registry's fallback agent and a person (as before), whose model is told the customer rules.
    expect([run.status, run.agent]).toEqual([
      "completed",
      registry.agentForIntent(registry.fallbackIntent),
    ]);
    expect(run.toolCalls).toEqual([]);
    expect(run.followUp).not.toBeNull();
    const executor = fake.requests[3]!;
    expect(JSON.stringify(executor.system)).toContain(
      "Refuse, in one clear sentence and without calling any tool, a request that is harmful",
    );
    expect(run.told).toEqual([refusal]);
  });

  it("are refused by each agent's offline script too, with no tool call", async () => {
    for (const agent of registry.agents) {
      const response = await offline.complete({
        model: "claude-sonnet-4-5",
        system: agent.system,
        agent: agent.name,
        maxTokens: 100,
        messages: [{ role: "user", content: HARMFUL }],
        tools: agent.tools.map((t) => ({
          name: t.name,
          description: t.description,
          input_schema: { type: "object" },
        })),
      });
      expect(response.content, agent.name).toEqual([{ type: "text", text: REFUSAL }]);
    }
  });
});
