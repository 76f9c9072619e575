import "server-only";
import { db } from "@/lib/db";
import { RUNBOOK_TITLES, type Runbook } from "./rule-schema";
import { effectiveRules } from "./rules";

export type AlertRow = {
  id: string;
  ruleKey: string;
  ruleName: string;
  status: "firing" | "resolved";
  summary: string;
  value: number | null;
  sample: number;
  breachingSince: string;
  firedAt: string | null;
  resolvedAt: string | null;
  notificationsSent: number;
  runbook: { name: Runbook; title: string; href: string };
};

const RESOLVED_SHOWN = 50;

/** Firing alerts (oldest first: the longest-burning on top) and the latest resolved ones. */
export async function listAlerts(): Promise<{ firing: AlertRow[]; resolved: AlertRow[] }> {
  const [rules, firing, resolved] = await Promise.all([
    effectiveRules(),
    db.alert.findMany({
      where: { status: "firing" },
      orderBy: { firedAt: "asc" },
      include: { _count: { select: { notifications: { where: { status: "sent" } } } } },
    }),
    db.alert.findMany({
      where: { status: "resolved" },
      orderBy: { resolvedAt: "desc" },
      take: RESOLVED_SHOWN,
      include: { _count: { select: { notifications: { where: { status: "sent" } } } } },
    }),
  ]);
  const ruleOf = new Map(rules.map((r) => [r.key, r.rule]));
  const toRow = (a: (typeof firing)[number]): AlertRow => {
    const rule = ruleOf.get(a.ruleKey);
    const runbook = rule?.runbook ?? "cost-or-loop-storm";
    return {
      id: a.id,
      ruleKey: a.ruleKey,
      ruleName: rule?.name ?? a.ruleKey,
      status: a.status === "resolved" ? "resolved" : "firing",
      summary: a.summary,
      value: a.value,
      sample: a.sample,
      breachingSince: a.breachingSince.toISOString(),
      firedAt: a.firedAt?.toISOString() ?? null,
      resolvedAt: a.resolvedAt?.toISOString() ?? null,
      notificationsSent: a._count.notifications,
      runbook: { name: runbook, title: RUNBOOK_TITLES[runbook], href: `/ops/runbooks/${runbook}` },
    };
  };
  return { firing: firing.map(toRow), resolved: resolved.map(toRow) };
}
