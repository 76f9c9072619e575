import "server-only";
import { z } from "zod";
import { safeText } from "@/lib/validation/text";
import { registry } from "@/lib/agents";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

// An agent's settings: limits, model tier, loop handling and per-tool policy. The code's values
// are version 0; every admin change is a new row with who, when and why, and each run records
// the version it ran under.
export const TOOL_POLICIES = ["auto", "require_approval", "deny"] as const;
export type ToolPolicy = (typeof TOOL_POLICIES)[number];

/**
 * The agent's service level objective, shown on /ops: `targetPercent` of its runs complete within
 * `completionSeconds`, under `maxCostMicros` and (when `withoutIntervention`) with no human in
 * the loop. The rest is the error budget.
 */
export const sloSchema = z.object({
  completionSeconds: z.number().int().min(1).max(3_600),
  maxCostMicros: z.number().int().min(0).max(100_000_000),
  targetPercent: z.number().min(50).max(99.99),
  withoutIntervention: z.boolean(),
});
export type Slo = z.infer<typeof sloSchema>;

/** The field notes' success metric: 95% complete in 10 s, under $0.05, without user intervention. */
export const DEFAULT_SLO: Slo = { completionSeconds: 10, maxCostMicros: 50_000, targetPercent: 95, withoutIntervention: true };

export const agentSettingsSchema = z.object({
  maxIterations: z.number().int().min(1).max(50),
  maxTokensPerRun: z.number().int().min(1_000).max(2_000_000),
  maxCostMicros: z.number().int().min(0).max(100_000_000),
  /** Model spend of all this agent's runs today (UTC); once reached, new turns routed to it are refused. */
  dailyBudgetMicros: z.number().int().min(0).max(10_000_000_000),
  deadlineSeconds: z.number().int().min(5).max(3_600),
  confidenceThreshold: z.number().min(0).max(1),
  approvalTtlSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 86_400),
  /** Tokens any single model call may carry; the context is compacted to fit. */
  contextBudgetTokens: z.number().int().min(1_000).max(200_000),
  /** The same call (tool and arguments) this many times, or that many steps with nothing new, is a loop. */
  loopThreshold: z.number().int().min(2).max(20),
  onLoop: z.enum(["terminate", "escalate"]),
  tier: z.enum(["small", "strong"]),
  toolPolicies: z.record(z.string(), z.enum(TOOL_POLICIES)),
  /** A run flagged as far outside this agent's baseline (lib/baselines) waits for a human on every later call. */
  anomalyHold: z.boolean().default(false),
  slo: sloSchema,
});
export type AgentSettings = z.infer<typeof agentSettingsSchema>;

/** $100 a day per agent unless an admin sets otherwise. */
export const DEFAULT_AGENT_DAILY_BUDGET_MICROS = 100_000_000;

export function defaultSettings(agent: string): AgentSettings {
  const spec = registry.agent(agent);
  return {
    ...spec.limits,
    dailyBudgetMicros: DEFAULT_AGENT_DAILY_BUDGET_MICROS,
    contextBudgetTokens: 24_000,
    loopThreshold: 3,
    onLoop: "terminate",
    anomalyHold: false,
    tier: spec.tier,
    toolPolicies: Object.fromEntries(spec.tools.map((t) => [t.name, t.irreversible ? "require_approval" : "auto"])),
    slo: DEFAULT_SLO,
  };
}

export type EffectiveSettings = { agent: string; version: number; settings: AgentSettings };

/** The settings a new run works under: the latest version, or the code's defaults (version 0). */
export async function effectiveSettings(agent: string, client: Tx | typeof db = db): Promise<EffectiveSettings> {
  const latest = await client.agentConfig.findFirst({ where: { agent }, orderBy: { version: "desc" } });
  return latest
    ? { agent, version: latest.version, settings: { ...defaultSettings(agent), ...(latest.settings as Partial<AgentSettings>) } }
    : { agent, version: 0, settings: defaultSettings(agent) };
}

/** The settings of a given version (what a run recorded), so a run keeps its rules to the end. */
export async function settingsAt(agent: string, version: number | null): Promise<AgentSettings> {
  if (!version) return defaultSettings(agent);
  const row = await db.agentConfig.findUnique({ where: { agent_version: { agent, version } } });
  return row ? { ...defaultSettings(agent), ...(row.settings as Partial<AgentSettings>) } : defaultSettings(agent);
}

export const saveSettingsInput = z.object({
  agent: z.string().refine((a) => registry.find(a) !== undefined, "Unknown agent"),
  settings: agentSettingsSchema,
  reason: safeText().trim().min(3, "Say why you are changing the settings").max(500),
});

/**
 * Saves the settings as a new version. With `basedOnVersion` (the version the admin was editing),
 * a save made after someone else's is refused, checked inside the transaction that writes it.
 */
export async function saveSettings(actor: Actor, input: z.infer<typeof saveSettingsInput>, basedOnVersion?: number): Promise<EffectiveSettings> {
  const spec = registry.agent(input.agent);
  const problems: string[] = [];
  for (const tool of spec.tools) {
    const policy = input.settings.toolPolicies[tool.name];
    if (!policy) problems.push(`${tool.name}: choose a policy`);
    if (tool.irreversible && policy === "auto") problems.push(`${tool.name} is irreversible and can never run without approval`);
  }
  for (const name of Object.keys(input.settings.toolPolicies)) {
    if (!spec.tools.some((t) => t.name === name)) problems.push(`${name} is not a tool of ${input.agent}`);
  }
  if (problems.length) throw new AppError("invalid_input", problems.join("; "));

  return db.$transaction(async (tx) => {
    const current = await effectiveSettings(input.agent, tx);
    if (basedOnVersion !== undefined && current.version !== basedOnVersion) {
      throw new AppError(
        "conflict",
        `These settings changed since you opened them (now version ${current.version}). Reload the page to see that change, then make yours again.`,
      );
    }
    const version = current.version + 1;
    try {
      await tx.agentConfig.create({
        data: { agent: input.agent, version, settings: input.settings as Prisma.InputJsonValue, reason: input.reason, createdById: actor.id },
      });
    } catch {
      throw new AppError("conflict", "Someone else changed these settings at the same moment. Reload and try again.");
    }
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "agent_settings_saved",
      payload: {
        agent: input.agent,
        reason: input.reason,
        before: { version: current.version, settings: current.settings as Prisma.InputJsonValue },
        after: { version, settings: input.settings as Prisma.InputJsonValue },
      },
    });
    return { agent: input.agent, version, settings: input.settings };
  });
}

export async function settingsHistory(agent: string) {
  const rows = await db.agentConfig.findMany({ where: { agent }, orderBy: { version: "desc" }, include: { createdBy: { select: { email: true } } } });
  return rows.map((r) => ({
    version: r.version,
    reason: r.reason,
    by: r.createdBy?.email ?? null,
    at: r.createdAt.toISOString(),
    settings: r.settings as AgentSettings,
  }));
}
