// Baselines, anomalies and alerts, end to end: a scripted model builds the support agent's
// baseline of normal runs, then starts using ten times its usual tokens. The run is flagged while
// it runs (trace event, badge, and with anomalyHold its next call waits for a human); the alert
// rule fires once to a loopback webhook receiver and once by email to a test SMTP server,
// renotifies on schedule and resolves when tokens return to normal. The evaluator is driven with
// an injected clock, never by waiting.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { startAlertDelivery } from "@/lib/alerts/jobs";
import { effectiveRules, saveAlertRule } from "@/lib/alerts/rules";
import { listAlerts } from "@/lib/alerts/queries";
import type { AlertRule } from "@/lib/alerts/rule-schema";
import { effectiveSettings, saveSettings } from "@/lib/agent-settings/settings";
import { DEFAULT_WORKSPACE_LIMITS } from "@/lib/agent-settings/workspace-limits-schema";
import { effectiveLimits, saveLimits } from "@/lib/agent-settings/workspace-limits";
import { runAnomalyBadges } from "@/lib/baselines/check";
import { refreshBaselines } from "@/lib/baselines/refresh";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { boss, stopBoss } from "@/lib/jobs/queue";
import type { ModelProvider, ModelRequest, ModelResponse } from "@/lib/model/types";
import { advanceRun } from "@/lib/runtime/advance";
import { approvalPacket } from "@/lib/approvals/queries";
import { listRuns, runDetail, runsQuery } from "@/lib/runs/queries";
import { actorFor } from "../support/actors";

const RULE_KEY = "support-token-spike";
const RULE_NAME = "Support runs use far more tokens than usual";
const RESOLVED = "Support's tokens per run are back to normal.";

/** Router: 100 tokens. Executor: `executorTokens` on its first call, then a short answer. */
function scriptedModel(executorTokens: number): ModelProvider {
  let call = 0;
  return {
    name: "scripted",
    async complete(request: ModelRequest): Promise<ModelResponse> {
      if (request.toolChoice?.type === "tool") {
        return {
          model: "m",
          stopReason: "tool_use",
          retries: [],
          usage: { inputTokens: 80, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 },
          content: [
            {
              type: "tool_use",
              id: `c${call++}`,
              name: "classify_intent",
              input: { intent: "general_enquiry", confidence: 0.95, rationale: "a question" },
            },
          ],
        };
      }
      const usage = {
        inputTokens: Math.round(executorTokens * 0.9),
        outputTokens: Math.round(executorTokens * 0.1),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      };
      const answered = request.messages.some(
        (m) => typeof m.content !== "string" && m.content.some((b) => b.type === "tool_result"),
      );
      if (executorTokens <= 1000 || answered)
        return {
          model: "m",
          stopReason: "end_turn",
          retries: [],
          usage: answered ? { ...usage, inputTokens: 10, outputTokens: 10 } : usage,
          content: [{ type: "text", text: "Returns are free within 30 days." }],
        };
      return {
        model: "m",
        stopReason: "tool_use",
        retries: [],
        usage,
        content: [
          {
            type: "tool_use",
            id: `search_${call++}`,
            name: "search_policies",
            input: { query: "returns", confidence: 0.9, rationale: "Answer from the policies" },
          },
        ],
      };
    },
  };
}

type Hit = { raw: string };
const webhook = { hits: [] as Hit[], server: undefined as http.Server | undefined };
const mailbox = { messages: [] as string[], server: undefined as SMTPServer | undefined };
const mine = (raw: string) => raw.includes(RULE_NAME);
const webhookTexts = () =>
  webhook.hits.filter((h) => mine(h.raw)).map((h) => (JSON.parse(h.raw) as { text: string }).text);
const emails = () => mailbox.messages.filter((m) => m.includes("Support runs use far more tokens"));

beforeAll(async () => {
  webhook.server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      webhook.hits.push({ raw });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => webhook.server!.listen(0, "127.0.0.1", resolve));
  mailbox.server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mailbox.messages.push(Buffer.concat(chunks).toString("utf8"));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => mailbox.server!.listen(0, "127.0.0.1", () => resolve()));
  process.env.COUNTERSIGN_WEBHOOK_URL = `http://127.0.0.1:${(webhook.server.address() as AddressInfo).port}/hooks/alerts`;
  process.env.COUNTERSIGN_SMTP_URL = `smtp://127.0.0.1:${(mailbox.server.server.address() as AddressInfo).port}`;
  process.env.COUNTERSIGN_NOTIFY_EMAIL = "oncall@example.com";
  await startAlertDelivery(await boss());
  // Baseline runs are many turns in a minute: lift the per-user rate for this file.
  const admin = await actorFor("admin@example.com");
  // Baselines and alert windows measure every run of the last days: other files' runs (in whatever
  // order the files ran) are moved out of reach while this file runs, and put back after it.
  shifted = (
    await db.$queryRaw<
      { id: string }[]
    >`update runs set created_at = created_at - interval '8 days', finished_at = finished_at - interval '8 days' returning id`
  ).map((r) => r.id);
  limitsBefore = (await effectiveLimits()).limits;
  await saveLimits(admin, {
    limits: { ...limitsBefore, maxTurnsPerMinute: Math.max(600, limitsBefore.maxTurnsPerMinute) },
    reason: "alerts test: many turns",
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
  const admin = await actorFor("admin@example.com");
  await saveLimits(admin, {
    limits: limitsBefore,
    reason: "alerts test done: the limits as they were",
  });
  const support = await effectiveSettings("support");
  await saveSettings(admin, {
    agent: "support",
    settings: { ...support.settings, anomalyHold: false },
    reason: "alerts test done",
  });
  // Later test files must not be flagged against this file's baselines.
  await db.agentBaseline.deleteMany({});
  delete process.env.COUNTERSIGN_WEBHOOK_URL;
  delete process.env.COUNTERSIGN_SMTP_URL;
  delete process.env.COUNTERSIGN_NOTIFY_EMAIL;
  await stopBoss();
  webhook.server?.closeAllConnections();
  await new Promise((resolve) => webhook.server?.close(resolve));
  await new Promise<void>((resolve) => mailbox.server?.close(() => resolve()));
});

async function runOnce(executorTokens: number, email = "user@example.com") {
  const user = await actorFor(email);
  const { runId } = await startTurn(user, { text: "What is your returns policy?" });
  started.push(runId);
  await advanceRun(runId, { model: scriptedModel(executorTokens), workerId: "alerts-test" });
  return db.run.findUniqueOrThrow({ where: { id: runId } });
}

const tokenRule: AlertRule = {
  name: RULE_NAME,
  enabled: true,
  metric: "run_tokens",
  agent: "support",
  condition: { mode: "baseline", factor: 3 },
  windowMinutes: 40,
  minSample: 2,
  sustainedMinutes: 2,
  channels: ["in_app", "webhook", "email"],
  renotifyMinutes: 30,
  resolvedMessage: RESOLVED,
  runbook: "cost-or-loop-storm",
};

describe("a model that starts using ten times its usual tokens", () => {
  it(
    "is flagged while it runs, fires once per channel, renotifies on schedule and resolves",
    { timeout: 120_000 },
    async () => {
      const admin = await actorFor("admin@example.com");

      // A day of normal support runs: 1,100 tokens each (router 100 + executor 1,000).
      const normal: string[] = [];
      for (let i = 0; i < 24; i++) {
        const run = await runOnce(1000, i % 2 ? "user@example.com" : "user2@example.com");
        expect(run.status).toBe("completed");
        normal.push(run.id);
      }
      await db.$executeRaw`update runs set created_at = created_at - interval '1 day', finished_at = finished_at - interval '1 day' where id = any(${normal}::uuid[])`;
      await refreshBaselines();
      const baseline = await db.agentBaseline.findUniqueOrThrow({
        where: { agent_metric: { agent: "support", metric: "tokens" } },
      });
      expect(baseline.median).toBe(1100);
      expect(baseline.sample).toBeGreaterThanOrEqual(24);
      // This test is about tokens. Its runs take milliseconds, so on a busy machine any pause makes one
      // "8× the usual duration" as well; the duration baseline is taken out of play.
      await db.agentBaseline.deleteMany({ where: { agent: "support", metric: "duration_ms" } });

      const support = await effectiveSettings("support");
      await saveSettings(admin, {
        agent: "support",
        settings: { ...support.settings, anomalyHold: true },
        reason: "hold runs far outside the baseline",
      });
      const saved = await saveAlertRule(admin, {
        key: RULE_KEY,
        rule: tokenRule,
        reason: "page on-call when support burns tokens",
      });
      expect((await effectiveRules()).find((r) => r.key === RULE_KEY)).toMatchObject({
        version: saved.version,
      });

      // Now the model uses 10× the tokens (11,000 a run): each run is flagged after its first executor call, and
      // with anomalyHold its next call (a harmless lookup that would run on its own) waits for a human.
      const spikes: Awaited<ReturnType<typeof runOnce>>[] = [];
      for (let i = 0; i < 3; i++) spikes.push(await runOnce(10_900));
      for (const run of spikes) {
        expect(run.inputTokens + run.outputTokens).toBe(11_000);
        expect(run.status).toBe("awaiting_approval");
        const event = await db.traceEvent.findFirstOrThrow({
          where: { runId: run.id, kind: "anomaly" },
        });
        expect(event.name).toBe("anomaly · 10× this agent's usual tokens");
        expect(event.data).toMatchObject({
          metric: "tokens",
          value: 11_000,
          median: 1100,
          sample: baseline.sample,
        });
        const approval = await db.approval.findFirstOrThrow({ where: { runId: run.id } });
        expect(approval.tool).toBe("search_policies");
        expect(approval.reasonCodes).toEqual(["anomalous_run"]);
        expect(approval.reasons).toEqual(["anomalous run: 10× this agent's usual tokens"]);
        // The badge data the approval packet and the run page show.
        expect((await approvalPacket(approval.id))!.run.anomalies.map((b) => b.label)).toEqual([
          "10× this agent's usual tokens",
        ]);
        expect((await runDetail(run.id))!.anomalies.map((b) => b.label)).toEqual([
          "10× this agent's usual tokens",
        ]);
      }
      const listed = (await listRuns(runsQuery.parse({ limit: 10 }))).items;
      expect(listed.find((r) => r.id === spikes[2]!.id)?.anomalies.map((b) => b.label)).toEqual([
        "10× this agent's usual tokens",
      ]);
      const badges = await runAnomalyBadges(spikes.map((r) => r.id));
      expect(badges.get(spikes[0]!.id)).toEqual([
        { metric: "tokens", ratio: 10, label: "10× this agent's usual tokens" },
      ]);
      expect((await runAnomalyBadges(normal)).size).toBe(0);

      const t0 = new Date();
      const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
      const step = async (minutes: number) =>
        (await evaluateAlerts(at(minutes))).filter((t) => t.key === RULE_KEY).map((t) => t.to);

      expect(await step(0)).toEqual(["pending"]); // breaching, not yet for 2 minutes
      expect(await step(1)).toEqual(["pending"]);
      expect(await step(2)).toEqual(["firing"]);
      await expect.poll(() => webhookTexts().length, { timeout: 20_000, interval: 200 }).toBe(1);
      await expect.poll(() => emails().length, { timeout: 20_000, interval: 200 }).toBe(1);
      expect(webhookTexts()[0]).toMatch(
        /^Alert firing: Support runs use far more tokens than usual — median \d+(\.\d+)?× the agents' usual tokens over \d+ runs/,
      );

      expect(await step(10)).toEqual([]); // still firing, renotify not due
      expect(await step(31)).toEqual([]); // 29 minutes after firing
      expect(await step(32)).toEqual(["renotify"]);
      await expect.poll(() => webhookTexts().length, { timeout: 20_000, interval: 200 }).toBe(2);
      await expect.poll(() => emails().length, { timeout: 20_000, interval: 200 }).toBe(2);
      expect(webhookTexts()[1]).toMatch(/^Still firing: /);

      // The model behaves again: normal runs outnumber the spikes in the window.
      for (let i = 0; i < 6; i++)
        await runOnce(1000, i % 2 ? "user@example.com" : "user2@example.com");
      expect(await step(33)).toEqual(["resolved"]);
      expect(await step(34)).toEqual([]);
      await expect.poll(() => webhookTexts().length, { timeout: 20_000, interval: 200 }).toBe(3);
      await expect.poll(() => emails().length, { timeout: 20_000, interval: 200 }).toBe(3);
      expect(webhookTexts()[2]).toBe(`Resolved: ${RULE_NAME} — ${RESOLVED}`);
      expect(emails()[2]).toContain(RESOLVED);

      const alert = await db.alert.findFirstOrThrow({
        where: { ruleKey: RULE_KEY },
        include: { notifications: { orderBy: { createdAt: "asc" } } },
      });
      expect(alert).toMatchObject({
        status: "resolved",
        firedAt: at(2),
        resolvedAt: at(33),
        breachingSince: at(0),
      });
      const kinds = alert.notifications.map((n) => `${n.kind}:${n.channel}:${n.status}`).sort();
      expect(kinds).toEqual([
        "firing:email:sent",
        "firing:in_app:sent",
        "firing:webhook:sent",
        "renotify:email:sent",
        "renotify:in_app:sent",
        "renotify:webhook:sent",
        "resolved:email:sent",
        "resolved:in_app:sent",
        "resolved:webhook:sent",
      ]);

      const alerts = await listAlerts();
      expect(alerts.resolved.find((a) => a.id === alert.id)).toMatchObject({
        ruleName: RULE_NAME,
        runbook: { name: "cost-or-loop-storm", href: "/ops/runbooks/cost-or-loop-storm" },
      });
    },
  );
});
