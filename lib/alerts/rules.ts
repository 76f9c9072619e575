import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { builder, lockForTransaction, rows } from "@/lib/store";
import type { SaveRuleInput } from "./inputs";
import { alertRuleSchema, DEFAULT_ALERT_RULES, type AlertRule } from "./rule-schema";

// Alert rules are versioned like agent settings: the built-in rules are version 0, and every save
// by an admin is a new row with who, when and why (and an audit entry). The evaluator reads the
// latest version of each rule.

export type EffectiveRule = { key: string; version: number; rule: AlertRule };

export async function effectiveRules(): Promise<EffectiveRule[]> {
  const saved = await rows(
    db,
    builder
      .selectFrom("alert_rules")
      .distinctOn("key")
      .select(["key", "version", "definition"])
      .orderBy("key")
      .orderBy("version", "desc"),
  );
  const byKey = new Map<string, EffectiveRule>(
    Object.entries(DEFAULT_ALERT_RULES).map(([key, rule]) => [key, { key, version: 0, rule }]),
  );
  for (const row of saved) {
    const parsed = alertRuleSchema.safeParse(row.definition);
    if (parsed.success)
      byKey.set(row.key, { key: row.key, version: row.version, rule: parsed.data });
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

// Saves of one rule, one at a time: a key space of its own ("CSAR"), one lock per rule key.
const ALERT_RULE_LOCK_SPACE = 0x43534152;

export async function saveAlertRule(actor: Actor, input: SaveRuleInput): Promise<EffectiveRule> {
  return db.$transaction(async (tx) => {
    await lockForTransaction(tx, { space: ALERT_RULE_LOCK_SPACE, key: input.key });
    const latest = await tx.alertRule.findFirst({
      where: { key: input.key },
      orderBy: { version: "desc" },
    });
    const currentVersion = latest?.version ?? 0;
    if (input.basedOnVersion !== undefined && input.basedOnVersion !== currentVersion) {
      throw new AppError(
        "conflict",
        `This rule changed since you opened it (now version ${currentVersion}). Reload the page, then make your change again.`,
      );
    }
    const version = currentVersion + 1;
    await tx.alertRule.create({
      data: {
        key: input.key,
        version,
        definition: input.rule as Prisma.InputJsonValue,
        reason: input.reason,
        createdById: actor.id,
      },
    });
    const before = latest?.definition ?? DEFAULT_ALERT_RULES[input.key] ?? null;
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "alert_rule_saved",
      payload: {
        key: input.key,
        reason: input.reason,
        before: { version: currentVersion, rule: before as Prisma.InputJsonValue },
        after: { version, rule: input.rule as Prisma.InputJsonValue },
      },
    });
    return { key: input.key, version, rule: input.rule };
  });
}

export async function ruleHistory(key: string) {
  const rows = await db.alertRule.findMany({
    where: { key },
    orderBy: { version: "desc" },
    take: 20,
  });
  return rows.map((r) => ({ version: r.version, reason: r.reason, at: r.createdAt.toISOString() }));
}
