import "server-only";
import { WebClient } from "@slack/web-api";
import { z } from "zod";
import { decideApproval, type DecisionInput } from "@/lib/approvals/decide";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createHash } from "node:crypto";
import { log } from "@/lib/log";
import { builder, rows } from "@/lib/store";
import { checkSlackSignature } from "./verify";

// Decisions from Slack (POST /api/v1/slack/interactions): a parked item's message carries Approve
// and Reject… buttons (lib/notifications/message.ts). Each interaction is verified (v0 signature,
// five-minute window), handled once (a replay changes nothing), mapped to a reviewer by the Slack
// user's email, decided through the same path as the packet (claims, separation of duties,
// conflicts named), and the message is then updated through Slack's response_url with the outcome.

const config = z.object({
  SLACK_SIGNING_SECRET: z.string().min(16),
  SLACK_BOT_TOKEN: z.string().min(8).optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).default("https://slack.com/api/"),
});

const MAX_BODY = 64 * 1024;
const REJECT_VIEW = "countersign_reject";

/** "{approvalId}:{proposedHash}", as the message's buttons carry it. */
const BUTTON_VALUE = /^([0-9a-f-]{36}):([0-9a-f]{64})$/;
const payloadSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("block_actions"),
    user: z.object({ id: z.string() }),
    trigger_id: z.string().optional(),
    response_url: z.url().optional(),
    actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
  }),
  z.object({
    type: z.literal("view_submission"),
    user: z.object({ id: z.string() }),
    view: z.object({
      callback_id: z.string(),
      private_metadata: z.string(),
      state: z.object({
        values: z.record(
          z.string(),
          z.record(z.string(), z.object({ value: z.string().nullable().optional() })),
        ),
      }),
    }),
  }),
]);

const ok = (body: unknown = {}) => Response.json(body, { status: 200 });
const refuse = (status: number, error: string) => Response.json({ error }, { status });

export async function handleSlackInteraction(request: Request): Promise<Response> {
  const settings = config.safeParse(
    Object.fromEntries(Object.keys(config.shape).map((k) => [k, process.env[k] || undefined])),
  );
  // Nothing can be verified without the secret: refused like a bad signature, saying why.
  if (!settings.success)
    return refuse(401, "Slack interactions are not configured here (SLACK_SIGNING_SECRET)");
  const body = await request.text();
  if (body.length > MAX_BODY) return refuse(413, "Too large");
  const signature = request.headers.get("x-slack-signature");
  const check = checkSlackSignature({
    secret: settings.data.SLACK_SIGNING_SECRET,
    timestamp: request.headers.get("x-slack-request-timestamp"),
    signature,
    body,
  });
  if (check !== "ok")
    return refuse(401, check === "old" ? "The request is too old" : "Bad signature");
  if (!(await firstTime(signature!))) return ok({ text: "Already handled." });

  const parsed = payloadSchema.safeParse(parseJson(new URLSearchParams(body).get("payload")));
  if (!parsed.success) return refuse(400, "Not an interaction this app sent");
  const slack = new WebClient(settings.data.SLACK_BOT_TOKEN, {
    slackApiUrl: settings.data.SLACK_API_URL,
    retryConfig: { retries: 0 },
    timeout: 5_000,
  });
  const payload = parsed.data;
  const reviewer = await reviewerFor(slack, payload.user.id);

  if (payload.type === "block_actions") {
    const action = payload.actions[0]!;
    if (action.action_id === "countersign_open") return ok();
    const value = BUTTON_VALUE.exec(action.value ?? "");
    if (!value) return refuse(400, "Not an interaction this app sent");
    const [, approvalId, expectedHash] = value;
    if (!reviewer.ok) {
      await respond(payload.response_url, {
        response_type: "ephemeral",
        replace_original: false,
        text: reviewer.message,
      });
      return ok();
    }
    if (action.action_id === "countersign_reject") {
      if (!payload.trigger_id) return refuse(400, "Not an interaction this app sent");
      await slack.views.open({
        trigger_id: payload.trigger_id,
        view: rejectView(approvalId!, expectedHash!, payload.response_url),
      });
      return ok();
    }
    if (action.action_id !== "countersign_approve")
      return refuse(400, "Not an interaction this app sent");
    await decideAndReport(
      reviewer.actor,
      { approvalId: approvalId!, expectedHash: expectedHash!, decision: "approve" },
      payload.response_url,
    );
    return ok();
  }

  if (payload.view.callback_id !== REJECT_VIEW)
    return refuse(400, "Not an interaction this app sent");
  const meta = z
    .object({
      approvalId: z.uuid(),
      expectedHash: z.string().regex(/^[0-9a-f]{64}$/),
      responseUrl: z.url().optional(),
    })
    .safeParse(parseJson(payload.view.private_metadata));
  if (!meta.success) return refuse(400, "Not an interaction this app sent");
  if (!reviewer.ok) return ok({ response_action: "errors", errors: { reason: reviewer.message } });
  const reason = (payload.view.state.values.reason?.reason?.value ?? "").trim();
  if (reason.length < 3)
    return ok({
      response_action: "errors",
      errors: { reason: "Give the reason in a few words: the customer reads it." },
    });
  await decideAndReport(
    reviewer.actor,
    {
      approvalId: meta.data.approvalId,
      expectedHash: meta.data.expectedHash,
      decision: "reject",
      reason: reason.slice(0, 1000),
    },
    meta.data.responseUrl,
  );
  return ok({ response_action: "clear" });
}

/** Records the request's signature; false if it was handled before (a replay). Old rows are pruned on the way. */
async function firstTime(signature: string): Promise<boolean> {
  const signatureHash = createHash("sha256").update(signature).digest("hex");
  await db.slackInteraction.deleteMany({
    where: { receivedAt: { lt: new Date(Date.now() - 10 * 60_000) } },
  });
  const inserted = await rows(
    db,
    builder
      .insertInto("slack_interactions")
      .values({ signature_hash: signatureHash })
      .onConflict((oc) => oc.doNothing())
      .returning("signature_hash"),
  );
  return inserted.length === 1;
}

function parseJson(text: string | null | undefined): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

type ReviewerLookup = { ok: true; actor: Actor } | { ok: false; message: string };

/** The Countersign reviewer with the Slack user's email; anyone else decides nothing. */
async function reviewerFor(slack: WebClient, slackUserId: string): Promise<ReviewerLookup> {
  const refused = {
    ok: false as const,
    message: "Your Slack account is not linked to a Countersign reviewer, so nothing was decided.",
  };
  let email: string | undefined;
  try {
    email = (await slack.users.info({ user: slackUserId })).user?.profile?.email;
  } catch (error) {
    // Slack's answer for a user it does not know (another workspace, deleted): not a reviewer.
    if ((error as { data?: { error?: string } }).data?.error === "user_not_found") return refused;
    log.error("slack users.info failed", { error });
    return {
      ok: false,
      message:
        "Countersign could not check who you are in Slack just now, so nothing was decided. Try again, or open the item in Countersign.",
    };
  }
  if (!email) return refused;
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() } });
  if (!user || !user.active || (user.role !== "reviewer" && user.role !== "admin")) return refused;
  return { ok: true, actor: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

function rejectView(approvalId: string, expectedHash: string, responseUrl: string | undefined) {
  return {
    type: "modal" as const,
    callback_id: REJECT_VIEW,
    private_metadata: JSON.stringify({ approvalId, expectedHash, responseUrl }),
    title: { type: "plain_text" as const, text: "Reject this call" },
    submit: { type: "plain_text" as const, text: "Reject" },
    close: { type: "plain_text" as const, text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: "reason",
        label: { type: "plain_text" as const, text: "Reason" },
        hint: { type: "plain_text" as const, text: "The customer is told this reason." },
        element: {
          type: "plain_text_input",
          action_id: "reason",
          multiline: true,
          min_length: 3,
          max_length: 1000,
        },
      },
    ],
  };
}

/** Decides as the reviewer, then replaces the message's buttons with what happened (or why nothing did). */
async function decideAndReport(
  actor: Actor,
  input: DecisionInput,
  responseUrl: string | undefined,
) {
  const approval = await db.approval.findUnique({
    where: { id: input.approvalId },
    select: { tool: true },
  });
  let outcome: string;
  try {
    const decided = await decideApproval(actor, input);
    const done = {
      approved: "✅ Approved",
      rejected: "❌ Rejected",
      pending: `☑️ Approval ${decided.approvals} of ${decided.required} given`,
    }[decided.status];
    outcome = `${done} by ${escapeSlack(actor.name ?? actor.email)} <!date^${Math.floor(Date.parse(decided.decidedAt) / 1000)}^{date_short_pretty} at {time}|just now>.`;
  } catch (error) {
    if (!(error instanceof AppError)) {
      log.error("slack decision failed", { error });
      outcome =
        "Countersign could not record the decision just now; nothing was decided. Open the item in Countersign.";
    } else outcome = `Nothing was decided from here: ${escapeSlack(error.message)}`;
  }
  const what = approval ? `\`${approval.tool}\`` : "this call";
  await respond(responseUrl, {
    replace_original: true,
    text: `${outcome} (${what})`,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: `${outcome} ${what}` } }],
  });
}

async function respond(url: string | undefined, body: object) {
  if (!url) return;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
      redirect: "error",
    });
    if (!response.ok) log.error("slack response_url refused", { status: response.status });
  } catch (error) {
    log.error("slack response_url failed", { error });
  }
}

const escapeSlack = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
