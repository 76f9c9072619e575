// Decisions from Slack, through the real route handler, against a loopback server that plays
// Slack's Web API (users.info, views.open) and its response_url, and checks what it receives. A
// signed Approve approves through the same decision path and the message is updated with the
// outcome; Reject… opens a dialog whose reason reaches the decision; a bad signature, an old
// timestamp, an unknown Slack user and a replayed request are refused and change nothing.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { decisionButtonValue, parkedMessage, slackPayload } from "@/lib/notifications/message";
import { advanceRun } from "@/lib/runtime/advance";
import { signSlackRequest } from "@/lib/slack/verify";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const { POST } = await import("@/app/api/v1/slack/interactions/route");

const SECRET = "slack-signing-secret-for-tests-0001";
const EMAILS: Record<string, string> = {
  U_RILEY: "reviewer@example.com",
  U_ADA: "user@example.com",
  U_STRANGER: "someone@elsewhere.test",
};
type Seen = { path: string; body: Record<string, unknown> };
const seen: Seen[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const body = (req.headers["content-type"] ?? "").includes("json")
        ? JSON.parse(raw)
        : Object.fromEntries(new URLSearchParams(raw));
      seen.push({ path: req.url ?? "", body });
      const reply = (value: unknown) =>
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (req.url === "/api/users.info") {
        const email = EMAILS[String(body.user)];
        return reply(
          email
            ? { ok: true, user: { id: body.user, profile: { email } } }
            : { ok: false, error: "user_not_found" },
        );
      }
      if (req.url === "/api/views.open") return reply({ ok: true, view: { id: "V1" } });
      return reply({ ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_API_URL: `${base}/api/`,
  });
});
afterAll(async () => {
  for (const name of ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_API_URL"])
    delete process.env[name];
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await stopBoss();
});
beforeEach(() => void (seen.length = 0));

async function parkedRefund() {
  const orderId = await freshOrder(4200);
  const { runId } = await startTurn(await actorFor("user@example.com"), {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "slack-test" });
  return db.approval.findFirstOrThrow({ where: { runId } });
}

function interaction(
  payload: object,
  {
    secret = SECRET,
    age = 0,
    signature,
  }: { secret?: string; age?: number; signature?: string } = {},
) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const signed = signSlackRequest(secret, body, Math.floor(Date.now() / 1000) - age);
  return new Request("http://countersign.test/api/v1/slack/interactions", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": signed.timestamp,
      "x-slack-signature": signature ?? signed.signature,
    },
    body,
  });
}

const press = (
  approval: { id: string; proposedHash: string },
  action: "countersign_approve" | "countersign_reject",
  user = "U_RILEY",
) => ({
  type: "block_actions",
  user: { id: user },
  trigger_id: `trigger-${Math.random()}`,
  response_url: `${base}/respond`,
  actions: [
    {
      action_id: action,
      value: decisionButtonValue({ approvalId: approval.id, proposedHash: approval.proposedHash }),
    },
  ],
});

const responses = () => seen.filter((s) => s.path === "/respond").map((s) => s.body);

describe("Slack approvals", () => {
  it("puts Approve and Reject… on the parked-item message when a Slack app is set up", async () => {
    const approval = await parkedRefund();
    const message = parkedMessage({
      ...approval,
      approvalId: approval.id,
      arguments: approval.proposedArguments,
      confidence: 0.9,
    });
    const actions = slackPayload(message, { interactive: true }).blocks.find(
      (b) => b.type === "actions",
    ) as {
      elements: Array<{ action_id: string; value?: string }>;
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      "countersign_approve",
      "countersign_reject",
    ]);
    expect(actions.elements[0]!.value).toBe(`${approval.id}:${approval.proposedHash}`);
    expect(slackPayload(message).blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("approves on a signed press, as the reviewer with the Slack user's email, and updates the message", async () => {
    const approval = await parkedRefund();
    const request = interaction(press(approval, "countersign_approve"));
    const replay = request.clone();
    expect((await POST(request)).status).toBe(200);
    expect(await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({
      status: "approved",
      decidedById: (await actorFor("reviewer@example.com")).id,
    });
    expect(responses()).toEqual([
      expect.objectContaining({
        replace_original: true,
        text: expect.stringMatching(/^✅ Approved by Riley Reviewer .* \(`issue_refund`\)$/),
      }),
    ]);

    // The same request again (same body, timestamp and signature): handled once.
    seen.length = 0;
    const again = await POST(replay);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ text: "Already handled." });
    expect(responses()).toEqual([]);
  });

  it("rejects through the dialog: the reason the reviewer types is the decision's", async () => {
    const approval = await parkedRefund();
    expect((await POST(interaction(press(approval, "countersign_reject")))).status).toBe(200);
    const opened = seen.find((s) => s.path === "/api/views.open")!;
    const view = JSON.parse(String(opened.body.view)) as {
      private_metadata: string;
      callback_id: string;
    };
    expect(view.callback_id).toBe("countersign_reject");

    const submit = (reason: string) => ({
      type: "view_submission",
      user: { id: "U_RILEY" },
      view: {
        callback_id: "countersign_reject",
        private_metadata: view.private_metadata,
        state: { values: { reason: { reason: { value: reason } } } },
      },
    });
    expect(await (await POST(interaction(submit("no")))).json()).toMatchObject({
      response_action: "errors",
      errors: { reason: expect.stringMatching(/few words/) },
    });
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "pending",
    );
    expect(
      await (await POST(interaction(submit("The parcel was returned already")))).json(),
    ).toEqual({ response_action: "clear" });
    expect(await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({
      status: "rejected",
      decisionReason: "The parcel was returned already",
    });
    expect(responses().at(-1)).toMatchObject({
      text: expect.stringMatching(/^❌ Rejected by Riley Reviewer/),
    });
  });

  it("refuses a bad signature, an old timestamp, an unknown Slack user and a customer, changing nothing", async () => {
    const approval = await parkedRefund();
    expect(
      (
        await POST(
          interaction(press(approval, "countersign_approve"), {
            secret: "another-secret-another-secret",
          }),
        )
      ).status,
    ).toBe(401);
    expect(
      (await POST(interaction(press(approval, "countersign_approve"), { age: 6 * 60 }))).status,
    ).toBe(401);
    expect(
      (await POST(interaction(press(approval, "countersign_approve"), { signature: "v0=zz" })))
        .status,
    ).toBe(401);
    for (const user of ["U_STRANGER", "U_ADA", "U_NOBODY"]) {
      expect((await POST(interaction(press(approval, "countersign_approve", user)))).status).toBe(
        200,
      );
    }
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "pending",
    );
    expect(responses()).toEqual(
      [0, 1, 2].map(() =>
        expect.objectContaining({
          response_type: "ephemeral",
          text: expect.stringMatching(/not linked to a Countersign reviewer/),
        }),
      ),
    );
  });

  it("says who decided first when the item was already decided", async () => {
    const approval = await parkedRefund();
    await POST(interaction(press(approval, "countersign_approve")));
    seen.length = 0;
    await POST(interaction(press(approval, "countersign_approve")));
    expect(responses()).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(/^Nothing was decided from here: .*approved/i),
      }),
    ]);
  });
});
