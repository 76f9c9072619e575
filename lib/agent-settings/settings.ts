import "server-only";
import { lockForTransaction, prepared } from "@/lib/store";
import { z } from "zod";
import { settingsReason } from "./setting-fields";
import { agentSettingsSchema, DEFAULT_SLO, type AgentSettings } from "./settings-schema";
import { registry } from "@/lib/agents";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

// An agent's settings: limits, model tier, loop handling and per-tool policy. The code's values
// are version 0; every admin change is a new row with who, when and why, and each run records
// the version it ran under.
export {
  agentSettingsSchema,
  DEFAULT_SLO,
  sloSchema,
  TOOL_POLICIES,
  type AgentSettings,
  type Slo,
  type ToolPolicy,
} from "./settings-schema";

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
    toolPolicies: Object.fromEntries(
      spec.tools.map((t) => [t.name, t.irreversible ? "require_approval" : "auto"]),
    ),
    slo: { ...DEFAULT_SLO, withoutIntervention: !spec.tools.some((t) => t.irreversible) },
  };
}

export type EffectiveSettings = { agent: string; version: number; settings: AgentSettings };

// Candidate versions: every save is a new version row, but new runs use the ACTIVE one, named by
// the agent's row in agent_active_settings. A version that is saved and not active is a candidate
// (evals, replay and shadow runs try it). Activation is recorded with the promotion gate's verdict.
// Before any pointer exists (a database from before candidates) the newest version is in force.

const withDefaults = (agent: string, stored: unknown): AgentSettings => ({
  ...defaultSettings(agent),
  ...(stored as Partial<AgentSettings>),
});

/** The number of the version new runs use (0: the code's defaults). */
export async function activeVersion(agent: string, client: Tx | typeof db = db): Promise<number> {
  const pointer = await client.agentActiveSettings.findUnique({ where: { agent } });
  if (pointer) return pointer.version;
  const latest = await client.agentConfig.findFirst({
    where: { agent },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return latest?.version ?? 0;
}

/** The settings a new run works under: the ACTIVE version, or the code's defaults (version 0). */
export async function effectiveSettings(
  agent: string,
  client: Tx | typeof db = db,
): Promise<EffectiveSettings> {
  // One round trip (every routed run asks): the pointer, or the newest version, with its settings.
  const [row] = await prepared<{ version: number; settings: unknown }>(
    client,
    activeSettingsSql(agent),
  );
  return asEffective(agent, row);
}

/**
 * The active settings and what the agent has spent on `day` (agent_spend_days), in one round trip:
 * routing needs both for every run, to pin the version and to check the daily budget.
 */
export async function settingsAndSpend(
  agent: string,
  day: Date,
): Promise<{ active: EffectiveSettings; spentMicros: number }> {
  const spent = Prisma.sql`(select coalesce(sum(s.cost_micros), 0)::bigint from agent_spend_days s where s.agent = ${agent} and s.day = ${day.toISOString().slice(0, 10)}::date)`;
  const [row] = await prepared<{
    version: number;
    settings: unknown;
    spent: string | number | bigint;
  }>(db, activeSettingsSql(agent, spent));
  return { active: asEffective(agent, row), spentMicros: Number(row?.spent ?? 0) };
}

const activeSettingsSql = (agent: string, extra: Prisma.Sql = Prisma.sql`null`) => Prisma.sql`
    with active as (
      select coalesce((select p.version from agent_active_settings p where p.agent = ${agent}),
                      (select max(c.version) from agent_configs c where c.agent = ${agent}), 0)::int as version
    )
    select active.version, c.settings, ${extra} as spent from active left join agent_configs c on c.agent = ${agent} and c.version = active.version`;

function asEffective(
  agent: string,
  row: { version: number; settings: unknown } | undefined,
): EffectiveSettings {
  const version = row?.version ?? 0;
  if (!version) return { agent, version: 0, settings: defaultSettings(agent) };
  return { agent, version, settings: withDefaults(agent, row?.settings) };
}

/** The settings of a given version (what a run recorded, or a candidate), so a run keeps its rules to the end. */
export async function settingsAt(
  agent: string,
  version: number | null,
  client: Tx | typeof db = db,
): Promise<AgentSettings> {
  if (!version) return defaultSettings(agent);
  const row = await client.agentConfig.findUnique({ where: { agent_version: { agent, version } } });
  return row ? withDefaults(agent, row.settings) : defaultSettings(agent);
}

/** Whether `version` exists for `agent` (0, the defaults, always does). */
export async function versionExists(
  agent: string,
  version: number,
  client: Tx | typeof db = db,
): Promise<boolean> {
  if (version === 0) return true;
  return (await client.agentConfig.count({ where: { agent, version } })) > 0;
}

export const saveSettingsInput = z.object({
  agent: z.string().refine((a) => registry.find(a) !== undefined, "Unknown agent"),
  settings: agentSettingsSchema,
  reason: settingsReason,
});

/**
 * What the promotion gate said about a version being activated. `not_checked` is for code that
 * activates on purpose (the seed, tests, `saveSettings` called directly); every path a person
 * takes (the admin page, lib/evals/gate.ts) passes a verdict from the agent's eval suites.
 */
export type GateVerdict =
  | { gate: "passed"; evalRunId: string }
  | { gate: "no_suites" }
  | { gate: "overridden"; overrideReason: string; evalRunId: string | null; failedCases: string[] }
  | { gate: "not_checked" };

export type SaveOptions = { activate?: boolean; verdict?: GateVerdict };

function checkToolPolicies(input: z.infer<typeof saveSettingsInput>) {
  const spec = registry.agent(input.agent);
  const problems: string[] = [];
  for (const tool of spec.tools) {
    const policy = input.settings.toolPolicies[tool.name];
    if (!policy) problems.push(`${tool.name}: choose a policy`);
    if (tool.irreversible && policy === "auto")
      problems.push(`${tool.name} is irreversible and can never run without approval`);
  }
  for (const name of Object.keys(input.settings.toolPolicies)) {
    if (!spec.tools.some((t) => t.name === name))
      problems.push(`${name} is not a tool of ${input.agent}`);
  }
  if (problems.length) throw new AppError("invalid_input", problems.join("; "));
}

/**
 * Saves the settings as a new version: activated at once (the default, "save and activate") or
 * kept as a candidate (`activate: false`). With `basedOnVersion` (the active version the admin was
 * editing), a save made after someone else's activation is refused, checked inside the transaction.
 */
export async function saveSettings(
  actor: Actor,
  input: z.infer<typeof saveSettingsInput>,
  basedOnVersion?: number,
  options: SaveOptions = {},
): Promise<EffectiveSettings & { active: boolean }> {
  checkToolPolicies(input);
  const activate = options.activate ?? true;
  return db.$transaction(async (tx) => {
    await lockAgentSettings(tx, input.agent);
    const current = await effectiveSettings(input.agent, tx);
    if (basedOnVersion !== undefined && current.version !== basedOnVersion) {
      throw new AppError(
        "conflict",
        `These settings changed since you opened them (now version ${current.version}). Reload the page to see that change, then make yours again.`,
      );
    }
    const latest = await tx.agentConfig.findFirst({
      where: { agent: input.agent },
      orderBy: { version: "desc" },
      select: { version: true },
    });
    const version = Math.max(latest?.version ?? 0, current.version) + 1;
    try {
      await tx.agentConfig.create({
        data: {
          agent: input.agent,
          version,
          settings: input.settings as Prisma.InputJsonValue,
          reason: input.reason,
          createdById: actor.id,
        },
      });
    } catch {
      throw new AppError(
        "conflict",
        "Someone else changed these settings at the same moment. Reload and try again.",
      );
    }
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: activate ? "agent_settings_saved" : "agent_settings_candidate_saved",
      payload: {
        agent: input.agent,
        reason: input.reason,
        before: { version: current.version, settings: current.settings as Prisma.InputJsonValue },
        after: { version, settings: input.settings as Prisma.InputJsonValue },
      },
    });
    if (activate)
      await pointAt(
        tx,
        actor,
        input.agent,
        version,
        current.version,
        options.verdict ?? { gate: "not_checked" },
      );
    else await ensurePointer(tx, input.agent, current.version);
    return { agent: input.agent, version, settings: input.settings, active: activate };
  });
}

/** A candidate saved before any pointer existed must not become active by being the newest. */
// Two-key advisory locks in a key space of their own ("CSAG"), one per agent.
const SETTINGS_LOCK_SPACE = 0x43534147;

/**
 * Saves and activations of one agent's settings, one after the other: each reads the version in
 * force and then moves the pointer, and under READ COMMITTED two of them could both read the old
 * version and both win (seen under load). Taken before the first read of the transaction.
 */
async function lockAgentSettings(tx: Tx, agent: string) {
  await lockForTransaction(tx, { space: SETTINGS_LOCK_SPACE, key: agent });
}

async function ensurePointer(tx: Tx, agent: string, version: number) {
  await tx.agentActiveSettings.upsert({ where: { agent }, create: { agent, version }, update: {} });
}

async function pointAt(
  tx: Tx,
  actor: Actor,
  agent: string,
  version: number,
  previousVersion: number,
  verdict: GateVerdict,
) {
  // The caller holds the agent's settings lock (lockAgentSettings): no other activation moves it meanwhile.
  await tx.agentActiveSettings.upsert({
    where: { agent },
    create: { agent, version },
    update: { version, activatedAt: new Date() },
  });
  await tx.agentSettingsActivation.create({
    data: {
      agent,
      version,
      previousVersion,
      gate: verdict.gate,
      overrideReason: verdict.gate === "overridden" ? verdict.overrideReason : null,
      evalRunId: "evalRunId" in verdict ? verdict.evalRunId : null,
      failedCases: verdict.gate === "overridden" ? verdict.failedCases : undefined,
      activatedByEmail: actor.email,
    },
  });
  await appendAudit(tx, {
    actorEmail: actor.email,
    action: "agent_settings_activated",
    payload: {
      agent,
      version,
      previousVersion,
      ...(verdict as Record<string, Prisma.InputJsonValue>),
    },
  });
}

/**
 * Makes a saved version (or 0, the defaults) the active one, with the gate's verdict. With
 * `basedOnVersion`, refused if another activation happened since the caller looked.
 */
export async function activateVersion(
  actor: Actor,
  input: { agent: string; version: number; verdict: GateVerdict; basedOnVersion?: number },
): Promise<EffectiveSettings> {
  if (!registry.find(input.agent)) throw new AppError("invalid_input", "agent: Unknown agent");
  return db.$transaction(async (tx) => {
    await lockAgentSettings(tx, input.agent);
    if (!(await versionExists(input.agent, input.version, tx)))
      throw new AppError("not_found", `${input.agent} has no settings version ${input.version}`);
    const current = await activeVersion(input.agent, tx);
    if (input.basedOnVersion !== undefined && current !== input.basedOnVersion) {
      throw new AppError(
        "conflict",
        `Another version (${current}) was activated since you looked. Reload and check again.`,
      );
    }
    if (current === input.version)
      throw new AppError("conflict", `Version ${input.version} is already active`);
    await pointAt(tx, actor, input.agent, input.version, current, input.verdict);
    return {
      agent: input.agent,
      version: input.version,
      settings: await settingsAt(input.agent, input.version, tx),
    };
  });
}

export type SettingsVersion = {
  version: number;
  reason: string;
  by: string | null;
  at: string;
  settings: AgentSettings;
  active: boolean;
  activations: Array<{
    at: string;
    by: string | null;
    gate: string;
    overrideReason: string | null;
    failedCases: string[];
  }>;
};

export async function settingsHistory(agent: string): Promise<SettingsVersion[]> {
  const [rows, active, activations] = await Promise.all([
    db.agentConfig.findMany({
      where: { agent },
      orderBy: { version: "desc" },
      include: { createdBy: { select: { email: true } } },
    }),
    activeVersion(agent),
    db.agentSettingsActivation.findMany({ where: { agent }, orderBy: { createdAt: "desc" } }),
  ]);
  return rows.map((r) => ({
    version: r.version,
    reason: r.reason,
    by: r.createdBy?.email ?? null,
    at: r.createdAt.toISOString(),
    settings: r.settings as AgentSettings,
    active: r.version === active,
    activations: activations
      .filter((a) => a.version === r.version)
      .map((a) => ({
        at: a.createdAt.toISOString(),
        by: a.activatedByEmail,
        gate: a.gate,
        overrideReason: a.overrideReason,
        failedCases: (a.failedCases as string[] | null) ?? [],
      })),
  }));
}
