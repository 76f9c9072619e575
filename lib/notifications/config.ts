import "server-only";
import { z } from "zod";

// Notification channels beyond the in-app list, each on when its variable is set.
const schema = z
  .object({
    COUNTERSIGN_WEBHOOK_URL: z
      .url({
        protocol: /^https?$/,
        message:
          "COUNTERSIGN_WEBHOOK_URL must be an http(s):// URL (e.g. a Slack incoming webhook)",
      })
      .optional(),
    COUNTERSIGN_SMTP_URL: z
      .url({
        protocol: /^smtps?$/,
        message:
          "COUNTERSIGN_SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465",
      })
      .optional(),
    COUNTERSIGN_NOTIFY_EMAIL: z
      .string()
      .transform((value) =>
        value
          .split(",")
          .map((address) => address.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(
            z.email({
              message: "COUNTERSIGN_NOTIFY_EMAIL must be a comma-separated list of email addresses",
            }),
          )
          .min(1),
      )
      .optional(),
    COUNTERSIGN_NOTIFY_FROM: z.string().min(3).default("Countersign <countersign@localhost>"),
    NEXTAUTH_URL: z.url().optional(),
    /** A Slack app's signing secret: the parked-item messages carry Approve/Reject buttons (lib/slack). */
    SLACK_SIGNING_SECRET: z
      .string()
      .min(16, "SLACK_SIGNING_SECRET must be the Slack app's signing secret")
      .optional(),
  })
  .refine((c) => Boolean(c.COUNTERSIGN_SMTP_URL) === Boolean(c.COUNTERSIGN_NOTIFY_EMAIL), {
    message:
      "Set COUNTERSIGN_SMTP_URL and COUNTERSIGN_NOTIFY_EMAIL together: email notifications need a server and recipients",
    path: ["COUNTERSIGN_NOTIFY_EMAIL"],
  });

export type NotificationConfig = {
  webhookUrl?: string;
  email?: { smtpUrl: string; to: string[]; from: string };
  /** Where links in notifications point: the app's public URL, when known. */
  publicUrl?: string;
  /** Whether Slack messages carry decision buttons (a Slack app's interactions reach this app). */
  slackInteractive: boolean;
};

/** Read on every use (cheap), so the channels follow the environment the process has now. */
export function notificationConfig(): NotificationConfig {
  const blank = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, process.env[k] || undefined]),
  );
  const parsed = schema.safeParse(blank);
  if (!parsed.success) {
    throw new Error(
      `Invalid notification settings:\n${parsed.error.issues.map((i) => `  ${i.message}`).join("\n")}`,
    );
  }
  const c = parsed.data;
  return {
    webhookUrl: c.COUNTERSIGN_WEBHOOK_URL,
    email:
      c.COUNTERSIGN_SMTP_URL && c.COUNTERSIGN_NOTIFY_EMAIL
        ? {
            smtpUrl: c.COUNTERSIGN_SMTP_URL,
            to: c.COUNTERSIGN_NOTIFY_EMAIL,
            from: c.COUNTERSIGN_NOTIFY_FROM,
          }
        : undefined,
    publicUrl: c.NEXTAUTH_URL?.replace(/\/$/, ""),
    slackInteractive: Boolean(c.SLACK_SIGNING_SECRET),
  };
}
