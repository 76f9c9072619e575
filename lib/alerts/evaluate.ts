import "server-only";
import { db, type Tx } from "@/lib/db";
import { lockForTransaction } from "@/lib/store";
import type { Prisma } from "@/lib/generated/prisma/client";
import { boss } from "@/lib/jobs/queue";
import { log } from "@/lib/log";
import { notificationConfig, type NotificationConfig } from "@/lib/notifications/config";
import { alertEmail, alertMessage, alertSlackPayload, type AlertKind } from "./message";
import { measure } from "./measure";
import { effectiveRules, type EffectiveRule } from "./rules";

export const DELIVER_ALERT = "alert-deliver";

export type Transition = {
  key: string;
  alertId: string;
  to: "pending" | "firing" | "renotify" | "resolved" | "dropped";
};

/**
 * One pass of every enabled rule at `now` (the clock is a parameter so tests drive it). Per rule,
 * under an advisory lock so two evaluators cannot double-fire, the open alert moves:
 *   none → pending (breaching; sustainedMinutes 0 fires at once)
 *   pending → firing after breaching for sustainedMinutes (notify), or dropped if it stopped first
 *   firing → firing again every renotifyMinutes while breaching (notify)
 *   firing → resolved when it stops breaching (notify with the rule's resolved message)
 */
export async function evaluateAlerts(now: Date = new Date()): Promise<Transition[]> {
  const transitions: Transition[] = [];
  const config = channelConfig();
  for (const entry of await effectiveRules()) {
    if (!entry.rule.enabled) continue;
    try {
      const measured = await measure(entry.rule, now);
      const step = await db.$transaction((tx) => advanceRule(tx, entry, measured, now, config));
      if (step) transitions.push(step);
    } catch (error) {
      log.error("alert rule evaluation failed", { rule: entry.key, error });
    }
  }
  return transitions;
}

async function advanceRule(
  tx: Tx,
  entry: EffectiveRule,
  m: Awaited<ReturnType<typeof measure>>,
  now: Date,
  config: NotificationConfig,
): Promise<Transition | null> {
  const { key, rule } = entry;
  await lockForTransaction(tx, { text: `alert:${key}` });
  const open = await tx.alert.findFirst({
    where: { ruleKey: key, status: { in: ["pending", "firing"] } },
    orderBy: { breachingSince: "desc" },
  });
  const minutes = (from: Date) => (now.getTime() - from.getTime()) / 60_000;

  if (!m.breaching) {
    if (!open) return null;
    if (open.status === "pending") {
      await tx.alert.delete({ where: { id: open.id } });
      return { key, alertId: open.id, to: "dropped" };
    }
    await tx.alert.update({
      where: { id: open.id },
      data: {
        status: "resolved",
        resolvedAt: now,
        value: m.value,
        sample: m.sample,
        summary: m.summary,
      },
    });
    await notify(tx, entry, open.id, "resolved", m.summary, open.breachingSince, config);
    return { key, alertId: open.id, to: "resolved" };
  }

  const alert =
    open ??
    (await tx.alert.create({
      data: {
        ruleKey: key,
        ruleVersion: entry.version,
        status: "pending",
        value: m.value,
        sample: m.sample,
        summary: m.summary,
        breachingSince: now,
      },
    }));
  if (alert.status === "pending") {
    if (minutes(alert.breachingSince) < rule.sustainedMinutes) {
      if (open)
        await tx.alert.update({
          where: { id: alert.id },
          data: { value: m.value, sample: m.sample, summary: m.summary },
        });
      return { key, alertId: alert.id, to: "pending" };
    }
    await tx.alert.update({
      where: { id: alert.id },
      data: {
        status: "firing",
        firedAt: now,
        lastNotifiedAt: now,
        ruleVersion: entry.version,
        value: m.value,
        sample: m.sample,
        summary: m.summary,
      },
    });
    await notify(tx, entry, alert.id, "firing", m.summary, alert.breachingSince, config);
    return { key, alertId: alert.id, to: "firing" };
  }
  const due =
    rule.renotifyMinutes > 0 &&
    minutes(alert.lastNotifiedAt ?? alert.firedAt ?? alert.breachingSince) >= rule.renotifyMinutes;
  await tx.alert.update({
    where: { id: alert.id },
    data: {
      value: m.value,
      sample: m.sample,
      summary: m.summary,
      ...(due && { lastNotifiedAt: now }),
    },
  });
  if (!due) return null;
  await notify(tx, entry, alert.id, "renotify", m.summary, alert.breachingSince, config);
  return { key, alertId: alert.id, to: "renotify" };
}

/** The in-app row, and a delivery job per external channel the rule asks for and the app has set up, in the caller's transaction. */
async function notify(
  tx: Tx,
  entry: EffectiveRule,
  alertId: string,
  kind: AlertKind,
  summary: string,
  since: Date,
  config: NotificationConfig,
) {
  const message = alertMessage(kind, entry.key, entry.rule, summary, since, config.publicUrl);
  const channels = entry.rule.channels;
  if (channels.includes("in_app")) {
    await tx.alertNotification.create({
      data: {
        alertId,
        kind,
        channel: "in_app",
        status: "sent",
        sentAt: new Date(),
        payload: message as unknown as Prisma.InputJsonValue,
      },
    });
  }
  const external: Array<{ channel: "webhook" | "email"; payload: Prisma.InputJsonValue }> = [];
  if (channels.includes("webhook") && config.webhookUrl)
    external.push({
      channel: "webhook",
      payload: alertSlackPayload(message) as Prisma.InputJsonValue,
    });
  if (channels.includes("email") && config.email)
    external.push({ channel: "email", payload: alertEmail(message) });
  if (external.length === 0) return;
  const queue = await boss();
  await queue.createQueue(DELIVER_ALERT, DELIVER_ALERT_OPTIONS);
  for (const { channel, payload } of external) {
    const row = await tx.alertNotification.create({ data: { alertId, kind, channel, payload } });
    await queue.send(
      DELIVER_ALERT,
      { notificationId: row.id },
      {
        db: {
          executeSql: async (text: string, values: unknown[] = []) => ({
            rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values),
          }),
        },
      },
    );
  }
}

export const DELIVER_ALERT_OPTIONS = {
  retryLimit: 8,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 300,
  expireInSeconds: 60,
  notify: true,
} as const;

function channelConfig(): NotificationConfig {
  try {
    return notificationConfig();
  } catch (error) {
    log.error("notification settings invalid; alerts are shown in the app only", { error });
    return { slackInteractive: false };
  }
}
