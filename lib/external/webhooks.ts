import "server-only";
import { randomUUID } from "node:crypto";
import type { PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { boss } from "@/lib/jobs/queue";
import { log } from "@/lib/log";
import { externalAgentWithSecret } from "./agents";
import type { ActionView, WebhookEvent } from "./schemas";

// Decision webhooks to an action's callback_url, signed as Standard Webhooks do (webhook-id,
// webhook-timestamp, webhook-signature: HMAC-SHA256 under the agent's signing secret, by the
// `standardwebhooks` package). The delivery row and its pg-boss job commit with the decision;
// a failed attempt throws and pg-boss retries it with exponential backoff.

export const DELIVER_EXTERNAL_WEBHOOK = "external-webhook-deliver";
export const EXTERNAL_WEBHOOK_QUEUE_OPTIONS = {
  retryLimit: 8,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 300,
  expireInSeconds: 60,
  notify: true,
} as const;
const ATTEMPT_TIMEOUT_MS = 10_000;

const EVENT_OF: Partial<Record<ActionView["status"], WebhookEvent["type"]>> = {
  approved: "action.approved",
  rejected: "action.rejected",
  expired: "action.expired",
  denied: "action.denied",
};

const globalForQueue = globalThis as unknown as { countersignExternalWebhookQueue?: Promise<void> };

function ensureQueue(): Promise<void> {
  globalForQueue.countersignExternalWebhookQueue ??= (async () => {
    await (await boss()).createQueue(DELIVER_EXTERNAL_WEBHOOK, EXTERNAL_WEBHOOK_QUEUE_OPTIONS);
  })().catch((error: unknown) => {
    globalForQueue.countersignExternalWebhookQueue = undefined;
    throw error;
  });
  return globalForQueue.countersignExternalWebhookQueue;
}

/**
 * Queues the decision event of an action, in the caller's transaction, when it has a callback
 * URL (its origin was checked against the agent's allowed origins at proposal).
 */
export async function queueDecisionWebhook(
  tx: Tx,
  action: { id: string; callbackUrl: string | null },
  view: ActionView,
): Promise<void> {
  const type = EVENT_OF[view.status];
  if (!action.callbackUrl || !type) return;
  const event: WebhookEvent = { type, timestamp: new Date().toISOString(), data: view };
  const id = `msg_${randomUUID().replace(/-/g, "")}`;
  await tx.externalWebhookDelivery.create({
    data: {
      id,
      actionId: action.id,
      url: action.callbackUrl,
      event: type,
      payload: event as unknown as Prisma.InputJsonValue,
    },
  });
  await ensureQueue();
  await (
    await boss()
  ).send(
    DELIVER_EXTERNAL_WEBHOOK,
    { deliveryId: id },
    {
      ...EXTERNAL_WEBHOOK_QUEUE_OPTIONS,
      db: {
        executeSql: async (text: string, values: unknown[] = []) => ({
          rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values),
        }),
      },
    },
  );
}

/** One attempt: signed now (receivers refuse old timestamps), so every retry carries a fresh signature. */
export async function deliverExternalWebhook(
  deliveryId: string,
  { finalAttempt }: { finalAttempt: boolean },
): Promise<void> {
  const delivery = await db.externalWebhookDelivery.findUnique({
    where: { id: deliveryId },
    include: { action: { select: { agentId: true } } },
  });
  if (!delivery || delivery.status === "sent") return;
  const agent = await externalAgentWithSecret(delivery.action.agentId);
  const body = JSON.stringify(delivery.payload);
  const timestamp = new Date();
  const signature = new Webhook(agent.signingSecret).sign(delivery.id, timestamp, body);
  let problem: string | null = null;
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": delivery.id,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => {});
    if (!response.ok) problem = `HTTP ${response.status}`;
  } catch (error) {
    problem =
      error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : "request failed";
  }
  await db.externalWebhookDelivery.update({
    where: { id: delivery.id },
    data: problem
      ? {
          attempts: { increment: 1 },
          lastError: problem,
          ...(finalAttempt && { status: "failed" }),
        }
      : { attempts: { increment: 1 }, lastError: null, status: "sent", sentAt: new Date() },
  });
  if (problem) {
    log.warn("external webhook attempt failed", { delivery: delivery.id, problem, finalAttempt });
    if (!finalAttempt) throw new Error(`webhook delivery failed: ${problem}`);
  }
}

export async function startExternalWebhookWorker(queue: PgBoss): Promise<void> {
  await queue.createQueue(DELIVER_EXTERNAL_WEBHOOK, EXTERNAL_WEBHOOK_QUEUE_OPTIONS);
  const options = {
    pollingIntervalSeconds: 1,
    notifyPollingIntervalSeconds: 1,
    localConcurrency: 2,
    includeMetadata: true,
  } as const;
  await queue.work<{ deliveryId: string }, void, typeof options>(
    DELIVER_EXTERNAL_WEBHOOK,
    options,
    async ([job]) => {
      if (!job) return;
      await deliverExternalWebhook(job.data.deliveryId, {
        finalAttempt: job.retryCount >= job.retryLimit,
      });
    },
  );
}
