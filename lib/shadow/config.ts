import "server-only";
import { z } from "zod";
import { registry } from "@/lib/agents";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { activeVersion, versionExists } from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { shadowInput } from "./inputs";

export const stopShadowInput = z.object({
  agent: z.string().refine((a) => registry.find(a) !== undefined, "Unknown agent"),
});

export type ShadowSetting = {
  agent: string;
  version: number;
  sampleRate: number;
  enabled: boolean;
  updatedBy: string;
  updatedAt: string;
};

/** Puts a settings version of an agent in shadow at a sampling rate; audited in the same transaction. */
export async function putInShadow(
  actor: Actor,
  input: z.infer<typeof shadowInput>,
): Promise<ShadowSetting> {
  // Not in shadowInput: the registry is server code, and the form checks with that schema.
  if (registry.find(input.agent) === undefined)
    throw new AppError("invalid_input", "Unknown agent");
  if (!(await versionExists(input.agent, input.version)))
    throw new AppError(
      "invalid_input",
      `version: ${input.agent} has no settings version ${input.version}`,
    );
  // Shadowing the version live runs already use would compare it with itself.
  if ((await activeVersion(input.agent)) === input.version)
    throw new AppError(
      "invalid_input",
      `version: ${input.version} is the active version of ${input.agent}; put a candidate in shadow`,
    );
  return db.$transaction(async (tx) => {
    const before = await tx.shadowConfig.findUnique({ where: { agent: input.agent } });
    const row = await tx.shadowConfig.upsert({
      where: { agent: input.agent },
      create: { ...input, enabled: true, updatedBy: actor.email },
      update: {
        version: input.version,
        sampleRate: input.sampleRate,
        enabled: true,
        updatedBy: actor.email,
      },
    });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "shadow_started",
      payload: {
        agent: input.agent,
        before: before
          ? { version: before.version, sampleRate: before.sampleRate, enabled: before.enabled }
          : null,
        after: { version: row.version, sampleRate: row.sampleRate, enabled: true },
      },
    });
    return toSetting(row);
  });
}

export async function stopShadow(
  actor: Actor,
  input: z.infer<typeof stopShadowInput>,
): Promise<ShadowSetting | null> {
  return db.$transaction(async (tx) => {
    const before = await tx.shadowConfig.findUnique({ where: { agent: input.agent } });
    if (!before?.enabled) return before ? toSetting(before) : null;
    const row = await tx.shadowConfig.update({
      where: { agent: input.agent },
      data: { enabled: false, updatedBy: actor.email },
    });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "shadow_stopped",
      payload: {
        agent: input.agent,
        before: { version: before.version, sampleRate: before.sampleRate, enabled: true },
        after: { enabled: false },
      },
    });
    return toSetting(row);
  });
}

export async function shadowSettings(): Promise<ShadowSetting[]> {
  const rows = await db.shadowConfig.findMany({ orderBy: { agent: "asc" } });
  return rows.map(toSetting);
}

const toSetting = (r: {
  agent: string;
  version: number;
  sampleRate: number;
  enabled: boolean;
  updatedBy: string;
  updatedAt: Date;
}): ShadowSetting => ({
  agent: r.agent,
  version: r.version,
  sampleRate: r.sampleRate,
  enabled: r.enabled,
  updatedBy: r.updatedBy,
  updatedAt: r.updatedAt.toISOString(),
});
