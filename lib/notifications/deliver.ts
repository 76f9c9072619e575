import "server-only";
import nodemailer from "nodemailer";
import { z } from "zod";
import { db } from "@/lib/db";
import { notificationConfig } from "./config";
import { log } from "@/lib/log";

const WEBHOOK_TIMEOUT_MS = 10_000;
// `to`: an escalation goes to the queue's escalation contact rather than the configured list.
const emailPayload = z.object({
  subject: z.string(),
  text: z.string(),
  to: z.array(z.string()).min(1).optional(),
});

/**
 * One delivery attempt of a queued notification, recorded on the row (lastError keeps the
 * latest failure even after a later success). On failure the error is rethrown so the queue
 * retries it, and the last allowed attempt marks it failed.
 * A notification already sent is not sent again (a job may be delivered twice after a crash).
 */
export async function deliverNotification(
  notificationId: string,
  opts: { finalAttempt: boolean },
): Promise<"sent" | "skipped"> {
  const notification = await db.notification.findUnique({ where: { id: notificationId } });
  if (!notification || notification.status !== "pending") return "skipped";
  try {
    if (notification.channel === "webhook") await postWebhook(notification.payload);
    else if (notification.channel === "email") await sendEmail(notification.payload);
    else throw new Error(`No delivery for channel ${notification.channel}`);
  } catch (error) {
    const lastError = describe(error);
    await db.notification.update({
      where: { id: notificationId },
      data: {
        attempts: { increment: 1 },
        lastError,
        ...(opts.finalAttempt && { status: "failed" }),
      },
    });
    log.error("notification delivery failed", {
      channel: notification.channel,
      notification: notificationId,
      final: opts.finalAttempt,
      error,
    });
    throw error;
  }
  await db.notification.update({
    where: { id: notificationId },
    data: { attempts: { increment: 1 }, status: "sent", sentAt: new Date() },
  });
  return "sent";
}

/** Also used by alert notifications (lib/alerts/deliver.ts). */
export async function postWebhook(payload: unknown) {
  const url = notificationConfig().webhookUrl;
  if (!url) throw new Error("COUNTERSIGN_WEBHOOK_URL is no longer set");
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    redirect: "error",
  });
  // The body is read so the connection is released; a Slack error names the problem in it.
  const body = (await response.text()).slice(0, 200);
  if (!response.ok)
    throw new Error(`Webhook answered HTTP ${response.status}${body ? `: ${body}` : ""}`);
}

export async function sendEmail(payload: unknown) {
  const email = notificationConfig().email;
  if (!email) throw new Error("COUNTERSIGN_SMTP_URL is no longer set");
  const content = emailPayload.parse(payload);
  const transport = nodemailer.createTransport({
    url: email.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: email.from,
      to: content.to ?? email.to,
      subject: content.subject,
      text: content.text,
    });
  } finally {
    transport.close();
  }
}

// Errors are stored for operators; the SMTP URL (which may hold a password) never appears in them.
function describe(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`
      : String(error);
  return text.replace(/(smtps?:\/\/)[^@\s]+@/gi, "$1***@").slice(0, 500);
}
