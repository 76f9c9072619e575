// Scratch runs never touch a real system. The subscriptions agent's billing service is pointed at a
// loopback server that counts requests (COUNTERSIGN_BILLING_URL, as a company would set it in
// production), in front of the demo billing service's own handler. Live runs reach it; `npm run
// eval`, a replay, a re-run and a shadow run of the same agent send it nothing, while their tools
// still run: reads and writes against the agent's sandbox. And a sandbox that does try to reach it
// is refused by the network guard.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAgent, defineTool, type ToolContext } from "@/lib/agent-kit";
import { agentTester, DEMO, serveOverHttp } from "@/lib/agent-kit/testing";
import { defaultSettings, saveSettings } from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import { runEvals } from "@/lib/evals/run";
import { replayRun } from "@/lib/replay/replay";
import { putInShadow, stopShadow } from "@/lib/shadow/config";
import { refusedFor, scratchExecute } from "@/lib/scratch/tools";
import { actorFor } from "../support/actors";
import { handleBillingRequest } from "@/agents/subscriptions/billing/http";

process.env.COUNTERSIGN_EVAL_PG_PORT ??= String(Number(process.env.TEST_PG_PORT ?? 25433) + 4);
process.env.COUNTERSIGN_EVAL_DATA_DIR ??= ".data/test-eval-pg";

/** The "production" billing service, counting every request it receives. */
let billing: Awaited<ReturnType<typeof serveOverHttp>>;
let billingUrl: string;
const received: string[] = [];
const t = agentTester();

beforeAll(async () => {
  billing = await serveOverHttp(async (request, path) => {
    received.push(`${request.method} /billing/${path.join("/")}`);
    return handleBillingRequest(request, path);
  }, "/billing");
  billingUrl = billing.url;
  process.env.COUNTERSIGN_BILLING_URL = billingUrl;
});

afterAll(async () => {
  await stopShadow(await actorFor(DEMO.admin), { agent: "subscriptions" }).catch(() => {});
  delete process.env.COUNTERSIGN_BILLING_URL;
  await billing.close();
  await t.close();
});

/** A live run that reads, then cancels after a reviewer approves: it reaches the billing service. */
async function liveCancellation(): Promise<string> {
  const id = `sub_hermetic_${Date.now().toString(36)}`;
  await db.$executeRaw`insert into demo_billing_subscriptions (id, customer_email, plan, status, monthly_cents, renews_on)
    values (${id}, ${DEMO.customer}, 'Hermetic club', 'active', 1500, '2030-01-10')`;
  // Made behind the agent's back: its cached read of the customer's subscriptions is stale now.
  await db.toolCacheEntry.deleteMany({ where: { agent: "subscriptions" } });
  const run = await t.approve(
    await t.ask(`Please cancel my subscription ${id}`),
    "cancel_subscription",
  );
  expect(run.status).toBe("completed");
  return run.id;
}

/** `npm run eval -- --agent subscriptions`, as a person runs it, on the test database. */
function npmRunEval(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "node_modules/tsx/dist/cli.mjs",
        "--conditions=react-server",
        "scripts/eval.ts",
        "--agent",
        "subscriptions",
      ],
      {
        env: process.env,
      },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c));
    child.stderr.on("data", (c: Buffer) => (output += c));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("scratch runs are hermetic by construction", () => {
  it("live runs reach the configured billing service (the counter works)", async () => {
    received.length = 0;
    await liveCancellation();
    expect(received).toEqual(
      expect.arrayContaining([
        `GET /billing/v1/subscriptions`,
        expect.stringMatching(/^POST \/billing\/v1\/subscriptions\/sub_hermetic_\w+\/cancel$/),
      ]),
    );
  });

  it("npm run eval sends it nothing, while the cases' reads and writes run against the sandbox", async () => {
    received.length = 0;
    const { code, output } = await npmRunEval();
    expect(output).toContain("7/7 passed");
    expect(code).toBe(0);
    expect(received).toEqual([]);
    // The same through the promotion gate's door, with what each case did.
    const report = await runEvals({ agent: "subscriptions", trigger: "test" });
    expect(received).toEqual([]);
    const cancel = report.cases.find((c) => c.key === "golden/cancel-after-approval")!;
    expect(cancel.passed).toBe(true);
    expect(cancel.observation.calls.map((c) => [c.tool, c.status])).toEqual([
      ["get_subscription", "succeeded"],
      ["cancel_subscription", "succeeded"],
    ]);
  }, 180_000);

  it("a replay, a re-run and a shadow run send it nothing", async () => {
    const source = await liveCancellation();
    received.length = 0;

    const replay = await replayRun(source);
    expect(replay).toMatchObject({ kind: "replay", status: "completed", divergences: [] });
    const rerun = await replayRun(source, { version: 0 });
    expect(rerun.kind).toBe("rerun");
    expect(received).toEqual([]);

    const admin = await actorFor(DEMO.admin);
    const candidate = await saveSettings(
      admin,
      {
        agent: "subscriptions",
        settings: { ...defaultSettings("subscriptions"), maxIterations: 5 },
        reason: "test: shadow candidate",
      },
      undefined,
      { activate: false },
    );
    await putInShadow(admin, { agent: "subscriptions", version: candidate.version, sampleRate: 1 });
    const live = await t.ask("When does my subscription renew?", DEMO.otherCustomer);
    const liveRequests = received.length;
    expect(liveRequests).toBeGreaterThan(0);
    const scratch = await db.scratchRun.findFirstOrThrow({
      where: { kind: "shadow", sourceRunId: live.id },
    });
    const shadow = await t.advance(scratch.runId);
    expect(shadow.status).toBe("completed");
    // The shadow run read the customer's subscriptions — from the sandbox, not the service.
    expect(shadow.calls.map((c) => [c.tool, c.status])).toEqual([
      ["get_subscription", "succeeded"],
    ]);
    expect(received).toHaveLength(liveRequests);
  });

  it("refuses a sandbox that tries to reach a real system, and records where it tried to go", async () => {
    const leaky = defineTool({
      name: "leaky_read",
      description: "reads the billing service from its 'sandbox'",
      input: z.object({}),
      irreversible: false,
      readOnly: true,
      summarize: () => "leaky",
      describeForCustomer: () => "a look at your subscriptions",
      execute: async (_input: unknown, { deps }: ToolContext) =>
        (await fetch(`${deps as string}/v1/subscriptions`)).status,
    });
    const agent = defineAgent({
      name: "leaky",
      title: "Leaky",
      description: "",
      tier: "small",
      system: "",
      limits: defaultSettings("subscriptions"),
      intents: [{ id: "leaky", description: "" }],
      tools: [leaky],
      createDeps: () => billingUrl,
      sandbox: { createDeps: () => billingUrl },
    });
    received.length = 0;
    const run = {};
    const execute = scratchExecute({
      mode: "shadow",
      run,
      agent,
      subject: { id: "s", email: DEMO.customer, name: null },
      tool: leaky as never,
      call: { id: "c", runId: "r", tool: "leaky_read", arguments: {} },
      runtimeTool: false,
      served: null,
    });
    await expect(
      execute(
        {},
        {
          runId: "r",
          idempotencyKey: "k",
          signal: new AbortController().signal,
          subject: { id: "s", email: DEMO.customer, name: null },
          deps: undefined,
        },
      ),
    ).rejects.toThrow(/fetch failed/);
    expect(received).toEqual([]);
    expect(refusedFor(run)).toEqual([new URL(billingUrl).host]);
  });
});
