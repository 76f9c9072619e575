// Notifications when a call is parked: in-app, a Slack-compatible webhook and SMTP email, each
// delivered through the pg-boss queue with retries, against real loopback servers, and never
// carrying an argument its tool marks sensitive.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { boss, stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { deliverNotification } from "@/lib/notifications/deliver";
import { listInAppNotifications, markNotificationsRead } from "@/lib/notifications/in-app";
import { notificationConfig } from "@/lib/notifications/config";
import { queueParkedNotifications } from "@/lib/notifications/queue";
import { startNotificationWorkers } from "@/lib/notifications/worker";
import { advanceRun } from "@/lib/runtime/advance";
import { stableHash } from "@/lib/idempotency/hash";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const deps = { model: new OfflineDemoModel(), workerId: "notifications-worker" };

type WebhookHit = { body: Record<string, unknown>; raw: string };
const webhook = {
  hits: [] as WebhookHit[],
  statuses: [] as number[],
  url: "",
  server: undefined as http.Server | undefined,
};
const mailbox = { messages: [] as string[], server: undefined as SMTPServer | undefined, port: 0 };

beforeAll(async () => {
  webhook.server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      // Operational alerts (lib/alerts) and the items the alerts test parks and leaves waiting share
      // the webhook channel; they are not this file's to count.
      if (/"text":"(Alert firing|Still firing|Resolved|Approval needed: search_policies)/.test(raw))
        return res.writeHead(200).end("ok");
      webhook.hits.push({ raw, body: JSON.parse(raw) as Record<string, unknown> });
      const status = webhook.statuses.shift() ?? 200;
      res
        .writeHead(status, { "content-type": "text/plain" })
        .end(status === 200 ? "ok" : "upstream_failure");
    });
  });
  await new Promise<void>((resolve) => webhook.server!.listen(0, "127.0.0.1", resolve));
  webhook.url = `http://127.0.0.1:${(webhook.server.address() as AddressInfo).port}/hooks/countersign`;

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
  mailbox.port = (mailbox.server.server.address() as AddressInfo).port;

  process.env.COUNTERSIGN_WEBHOOK_URL = webhook.url;
  process.env.COUNTERSIGN_SMTP_URL = `smtp://127.0.0.1:${mailbox.port}`;
  process.env.COUNTERSIGN_NOTIFY_EMAIL = "ops@example.com, lead@example.com";
  await startNotificationWorkers(await boss());
});

afterAll(async () => {
  delete process.env.COUNTERSIGN_WEBHOOK_URL;
  delete process.env.COUNTERSIGN_SMTP_URL;
  delete process.env.COUNTERSIGN_NOTIFY_EMAIL;
  await stopBoss();
  webhook.server?.closeAllConnections();
  await new Promise((resolve) => webhook.server?.close(resolve));
  await new Promise<void>((resolve) => mailbox.server?.close(() => resolve()));
});

async function parkedRefund() {
  const orderId = await freshOrder(7700);
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  await advanceRun(runId, deps);
  return {
    orderId,
    approval: await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } }),
  };
}

/** A parked send_email, written as the runtime parks it, then notified in the same transaction. */
async function parkedEmail(args: { subject: string; body: string }) {
  const user = await actorFor("user2@example.com");
  const { runId } = await startTurn(user, { text: "Please email me your returns policy" });
  return db.$transaction(async (tx) => {
    const call = await tx.toolCall.create({
      data: {
        runId,
        toolUseId: `toolu_${randomUUID()}`,
        turn: 1,
        tool: "send_email",
        irreversible: true,
        arguments: args,
        argsHash: stableHash(args),
        confidence: 0.8,
        status: "pending_approval",
        idempotencyKey: `cs_${randomUUID()}`,
      },
    });
    const approval = await tx.approval.create({
      data: {
        toolCallId: call.id,
        runId,
        agent: "support",
        tool: "send_email",
        reasons: ["irreversible"],
        proposedArguments: args,
        proposedHash: stableHash(args),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    await queueParkedNotifications(tx, [approval.id]);
    return approval;
  });
}

const channelRow = (approvalId: string, channel: string) =>
  db.notification.findFirstOrThrow({ where: { approvalId, channel } });

async function delivered(approvalId: string, channel: "webhook" | "email") {
  await expect
    .poll(async () => (await channelRow(approvalId, channel)).status, {
      timeout: 20_000,
      interval: 200,
    })
    .toBe("sent");
  return channelRow(approvalId, channel);
}

/** The decoded subject and text body of a raw message from nodemailer (Q/B words, quoted-printable or base64 body). */
function readEmail(raw: string) {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const headers = head.replace(/\r\n[ \t]+/g, " ");
  const words = (value: string) =>
    value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
            "latin1",
          ).toString("utf8"),
    );
  const header = (name: string) =>
    words(new RegExp(`^${name}: (.*)$`, "im").exec(headers)?.[1] ?? "").trim();
  const body = rest.join("\r\n\r\n");
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const text =
    encoding === "base64"
      ? Buffer.from(body, "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? Buffer.from(
            body
              .replace(/=\r\n/g, "")
              .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
            "latin1",
          ).toString("utf8")
        : body;
  return { subject: header("Subject"), to: header("To"), text: text.replace(/\r\n/g, "\n") };
}

describe("notifications when a call is parked", () => {
  it("retries a failing webhook with backoff until it is delivered, and emails the reviewers", async () => {
    webhook.statuses.push(500);
    const hitsBefore = webhook.hits.length;
    const { orderId, approval } = await parkedRefund();

    const inApp = await channelRow(approval.id, "in_app");
    expect(inApp).toMatchObject({
      status: "sent",
      payload: { tool: "issue_refund", agentTitle: expect.any(String) },
    });

    const hook = await delivered(approval.id, "webhook");
    expect(hook).toMatchObject({
      attempts: 2,
      lastError: "Webhook answered HTTP 500: upstream_failure",
    });
    const hits = webhook.hits.slice(hitsBefore);
    expect(hits).toHaveLength(2);
    expect(hits[0]!.raw).toBe(hits[1]!.raw);
    const body = hits[1]!.body as {
      text: string;
      blocks: Array<{ type: string; fields?: Array<{ text: string }> }>;
    };
    expect(body.text).toContain("Approval needed: issue_refund");
    expect(body.text).toContain(`order ${orderId}`);
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context"]);
    // issue_refund's reason is not sensitive: reviewers triage from it.
    expect(body.blocks[2]!.fields!.map((f) => f.text)).toContain(
      `*reason*\nCustomer reports: Order ${orderId} arrived broken, I want my money back`,
    );

    const mail = await delivered(approval.id, "email");
    expect(mail.attempts).toBe(1);
    const received = mailbox.messages
      .map(readEmail)
      .find((m) => m.text.includes(`order_id: ${orderId}`));
    expect(received).toBeDefined();
    expect(received!.to).toBe("ops@example.com, lead@example.com");
    expect(received!.subject).toMatch(
      /^Approval needed: issue_refund \(Refunds\) — €77\.00 on order \d+/,
    );
    expect(received!.text).toContain("amount_cents: 7700");
  });

  it("never sends an argument the tool marks sensitive, on any channel", async () => {
    const secret = "Your account recovery code is 493-112, keep it private";
    const hitsBefore = webhook.hits.length;
    const approval = await parkedEmail({ subject: "About your return", body: secret });

    const [hook, mail, inApp] = await Promise.all([
      delivered(approval.id, "webhook"),
      delivered(approval.id, "email"),
      channelRow(approval.id, "in_app"),
    ]);
    expect([hook.attempts, mail.attempts]).toEqual([1, 1]);
    const hit = webhook.hits
      .slice(hitsBefore)
      .find((h) => h.raw.includes(approval.id) || h.raw.includes("About your return"));
    expect(hit).toBeDefined();
    expect(hit!.raw).not.toContain("493-112");
    expect(hit!.raw).toContain("*body*\\n[redacted]");
    expect(hit!.raw).toContain("*subject*\\nAbout your return");

    const received = mailbox.messages
      .map(readEmail)
      .find((m) => m.subject.includes("About your return"));
    expect(received).toBeDefined();
    expect(received!.text).toContain("body: [redacted]");
    expect(received!.text).not.toContain("493-112");
    expect(JSON.stringify(inApp.payload)).not.toContain("493-112");
    for (const row of [hook, mail, inApp])
      expect(JSON.stringify(row.payload)).not.toContain("493-112");
    // The reviewer still sees the real call in the console.
    expect(
      (await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).proposedArguments,
    ).toMatchObject({ body: secret });
  });

  it("marks a notification failed when its last attempt fails, keeping the error", async () => {
    const approval = await parkedEmail({
      subject: "Undeliverable",
      body: "Body that must not leak",
    });
    await delivered(approval.id, "webhook");
    const row = await db.notification.create({
      data: {
        channel: "webhook",
        approvalId: approval.id,
        payload: { text: "retry me", blocks: [] },
      },
    });
    webhook.statuses.push(503);
    await expect(deliverNotification(row.id, { finalAttempt: true })).rejects.toThrow(/HTTP 503/);
    expect(await db.notification.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "Webhook answered HTTP 503: upstream_failure",
      sentAt: null,
    });
    expect(await deliverNotification(row.id, { finalAttempt: true })).toBe("skipped");
  });

  it("lists in-app notifications with each reviewer's own unread count, ignoring decided items", async () => {
    const riley = await actorFor("reviewer@example.com");
    const robin = await actorFor("reviewer2@example.com");
    for (const reviewer of [riley, robin]) await markNotificationsRead(reviewer.id, { all: true });
    expect((await listInAppNotifications(riley.id)).unread).toBe(0);

    const first = await parkedRefund();
    const second = await parkedRefund();
    const listed = await listInAppNotifications(riley.id);
    expect(listed.unread).toBe(2);
    const mine = listed.items.filter((n) =>
      [first.approval.id, second.approval.id].includes(n.approvalId),
    );
    expect(mine.map((n) => [n.tool, n.read, n.itemStatus])).toEqual([
      ["issue_refund", false, "pending"],
      ["issue_refund", false, "pending"],
    ]);
    expect(listed.items[0]!.approvalId).toBe(second.approval.id);

    await decideApproval(riley, {
      decision: "reject",
      approvalId: first.approval.id,
      reason: "Not eligible",
    });
    const afterDecision = await listInAppNotifications(riley.id);
    expect(afterDecision.unread).toBe(1);
    expect(afterDecision.items.find((n) => n.approvalId === first.approval.id)?.itemStatus).toBe(
      "rejected",
    );

    const secondNotification = afterDecision.items.find(
      (n) => n.approvalId === second.approval.id,
    )!;
    expect(await markNotificationsRead(riley.id, { ids: [secondNotification.id] })).toEqual({
      marked: 1,
    });
    expect(await markNotificationsRead(riley.id, { ids: [secondNotification.id] })).toEqual({
      marked: 0,
    });
    const afterRead = await listInAppNotifications(riley.id);
    expect(afterRead.unread).toBe(0);
    expect(afterRead.items.find((n) => n.id === secondNotification.id)?.read).toBe(true);

    // Riley reading it does not read it for Robin.
    const robinsView = await listInAppNotifications(robin.id);
    expect(robinsView.unread).toBe(1);
    expect(robinsView.items.find((n) => n.id === secondNotification.id)?.read).toBe(false);
  });

  it("names a bad channel setting, and still notifies in the app when the settings are bad", async () => {
    const saved = { ...process.env };
    try {
      process.env.COUNTERSIGN_WEBHOOK_URL = "ftp://hooks.example.com/x";
      expect(() => notificationConfig()).toThrow(
        /COUNTERSIGN_WEBHOOK_URL must be an http\(s\):\/\/ URL/,
      );
      await expect(startNotificationWorkers(await boss())).rejects.toThrow(
        /COUNTERSIGN_WEBHOOK_URL/,
      );
      const approval = await parkedEmail({
        subject: "Settings are broken",
        body: "Nothing leaves the app today",
      });
      expect(
        (await db.notification.findMany({ where: { approvalId: approval.id } })).map(
          (n) => n.channel,
        ),
      ).toEqual(["in_app"]);

      process.env.COUNTERSIGN_WEBHOOK_URL = saved.COUNTERSIGN_WEBHOOK_URL;
      delete process.env.COUNTERSIGN_NOTIFY_EMAIL;
      expect(() => notificationConfig()).toThrow(
        /Set COUNTERSIGN_SMTP_URL and COUNTERSIGN_NOTIFY_EMAIL together/,
      );
      process.env.COUNTERSIGN_NOTIFY_EMAIL = "ops@example.com, not-an-address";
      expect(() => notificationConfig()).toThrow(
        /COUNTERSIGN_NOTIFY_EMAIL must be a comma-separated list of email addresses/,
      );
    } finally {
      Object.assign(process.env, saved);
    }
    expect(notificationConfig().email?.to).toEqual(["ops@example.com", "lead@example.com"]);
  });
});
