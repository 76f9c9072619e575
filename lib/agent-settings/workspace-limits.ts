import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  DEFAULT_WORKSPACE_LIMITS,
  limitsReason,
  workspaceLimitsSchema,
  type WorkspaceLimits,
} from "./workspace-limits-schema";

export { DEFAULT_WORKSPACE_LIMITS, workspaceLimitsSchema, type WorkspaceLimits };

// What each user may spend, the same for every user (per-agent budgets live in the agent's own
// settings). Versioned like the agent settings: the code's values are version 0, every admin
// change is a new row with who, when and why.

export type EffectiveLimits = { version: number; limits: WorkspaceLimits };

/** The limits a new turn is checked against: the latest version, or the code's defaults. */
export async function effectiveLimits(client: Tx | typeof db = db): Promise<EffectiveLimits> {
  const latest = await client.workspaceLimits.findFirst({ orderBy: { version: "desc" } });
  // Stored versions are completed from the defaults, so a limit added later has a value in old rows.
  return latest
    ? {
        version: latest.version,
        limits: { ...DEFAULT_WORKSPACE_LIMITS, ...(latest.settings as Partial<WorkspaceLimits>) },
      }
    : { version: 0, limits: DEFAULT_WORKSPACE_LIMITS };
}

export const saveLimitsInput = z.object({
  limits: workspaceLimitsSchema,
  reason: limitsReason,
});

/**
 * Saves the limits as a new version, audited with before and after. With `basedOnVersion` (the
 * version the admin was editing), a save made after someone else's is refused, checked inside
 * the transaction that writes it; two saves of the same next version collide on the key.
 */
export async function saveLimits(
  actor: Actor,
  input: z.infer<typeof saveLimitsInput>,
  basedOnVersion?: number,
): Promise<EffectiveLimits> {
  try {
    return await db.$transaction(async (tx) => {
      const current = await effectiveLimits(tx);
      if (basedOnVersion !== undefined && current.version !== basedOnVersion) {
        throw new AppError(
          "conflict",
          `These limits changed since you opened them (now version ${current.version}). Reload the page to see that change, then make yours again.`,
        );
      }
      const version = current.version + 1;
      await tx.workspaceLimits.create({
        data: {
          version,
          settings: input.limits as Prisma.InputJsonValue,
          reason: input.reason,
          createdById: actor.id,
        },
      });
      await appendAudit(tx, {
        actorEmail: actor.email,
        action: "workspace_limits.saved",
        payload: { version, reason: input.reason, before: current.limits, after: input.limits },
      });
      return { version, limits: input.limits };
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    // Only a duplicate version gets here in practice: another admin saved at the same moment.
    if (isUniqueViolation(error))
      throw new AppError(
        "conflict",
        "Someone else changed these limits at the same moment. Reload and try again.",
      );
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    (error as { code?: unknown }).code === "P2002"
  );
}

export type LimitsVersion = {
  version: number;
  reason: string;
  by: string | null;
  at: string;
  limits: WorkspaceLimits;
};

export async function limitsHistory(): Promise<LimitsVersion[]> {
  const rows = await db.workspaceLimits.findMany({
    orderBy: { version: "desc" },
    take: 50,
    include: { createdBy: { select: { email: true } } },
  });
  return rows.map((r) => ({
    version: r.version,
    reason: r.reason,
    by: r.createdBy?.email ?? null,
    at: r.createdAt.toISOString(),
    limits: { ...DEFAULT_WORKSPACE_LIMITS, ...(r.settings as Partial<WorkspaceLimits>) },
  }));
}
