import "server-only";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { postWebhook, sendEmail } from "@/lib/notifications/deliver";

/** One delivery attempt of an alert notification, through the same webhook and SMTP senders as parked items. */
export async function deliverAlertNotification(
  id: string,
  opts: { finalAttempt: boolean },
): Promise<"sent" | "skipped"> {
  const row = await db.alertNotification.findUnique({ where: { id } });
  if (!row || row.status !== "pending") return "skipped";
  try {
    if (row.channel === "webhook") await postWebhook(row.payload);
    else if (row.channel === "email") await sendEmail(row.payload);
    else throw new Error(`No delivery for channel ${row.channel}`);
  } catch (error) {
    const lastError = (error instanceof Error ? error.message : String(error))
      .replace(/(smtps?:\/\/)[^@\s]+@/gi, "$1***@")
      .slice(0, 500);
    await db.alertNotification.update({
      where: { id },
      data: {
        attempts: { increment: 1 },
        lastError,
        ...(opts.finalAttempt && { status: "failed" }),
      },
    });
    log.error("alert delivery failed", {
      channel: row.channel,
      notification: id,
      final: opts.finalAttempt,
      error,
    });
    throw error;
  }
  await db.alertNotification.update({
    where: { id },
    data: { attempts: { increment: 1 }, status: "sent", sentAt: new Date() },
  });
  return "sent";
}
