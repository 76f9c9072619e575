import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  boundsFromApproved,
  boundsSchema,
  grantCovers,
  GRANTABLE_REASONS,
  narrowerThan,
  type Bounds,
  type GrantView,
} from "./grants";
import { activePolicy } from "./versions";

// The writes of "remember" grants (the checks are in grants.ts): made with an approval, used by a
// later call a run proposes (one use taken by a conditional update, so two calls at once never
// spend the same last use), revoked at once (the use's update re-checks revocation and expiry).

/** What a reviewer asks for when approving: "approve calls like this automatically". */
export const rememberInput = z
  .object({
    /** How long it lasts, in minutes (a day at most). */
    minutes: z.number().int().min(1).max(1440).default(60),
    /** How many calls it may let through. */
    uses: z.number().int().min(1).max(100).default(5),
    /** Narrower bounds than the approved arguments (by default: up to the approved amounts, the same ids). */
    bounds: boundsSchema.optional(),
  })
  .strict();
export type RememberInput = z.output<typeof rememberInput>;

export type GrantSource = {
  approvalId: string;
  agent: string;
  tool: string;
  subjectId: string;
  reasonCodes: readonly string[];
  requiredApprovals: number;
  approvedArguments: Record<string, unknown>;
};

/** Why this approval cannot be remembered, in words, or null: checked before anything is decided. */
export async function whyNotGrantable(
  source: GrantSource,
  ask: RememberInput,
): Promise<string | null> {
  if (source.requiredApprovals > 1)
    return "An item that needs several people's approval cannot be approved automatically later.";
  if (!source.reasonCodes.every((code) => GRANTABLE_REASONS.has(code))) {
    return "This call waits because the run looked unusual (untrusted input, an anomaly or low confidence): it cannot be approved automatically later.";
  }
  if ((await activePolicy()).document.grantsOff?.includes(source.tool))
    return "An admin has turned automatic approvals off for this kind of call.";
  if (ask.bounds && !narrowerThan(ask.bounds, boundsFromApproved(source.approvedArguments))) {
    return "The bounds asked for go beyond what was approved: a grant covers at most the approved amounts, for the same ids.";
  }
  return null;
}

export async function createGrant(actor: Actor, source: GrantSource, ask: RememberInput) {
  const bounds: Bounds = ask.bounds ?? boundsFromApproved(source.approvedArguments);
  return db.$transaction(async (tx) => {
    const grant = await tx.approvalGrant.create({
      data: {
        agent: source.agent,
        tool: source.tool,
        subjectId: source.subjectId,
        bounds: bounds as Prisma.InputJsonValue,
        grantedById: actor.id,
        grantedByEmail: actor.email,
        sourceApprovalId: source.approvalId,
        expiresAt: new Date(Date.now() + ask.minutes * 60_000),
        usesLeft: ask.uses,
      },
    });
    await recordAudit(tx, {
      actorEmail: actor.email,
      action: "grant_created",
      approvalId: source.approvalId,
      payload: {
        grantId: grant.id,
        agent: grant.agent,
        tool: grant.tool,
        subjectId: grant.subjectId,
        bounds,
        expiresAt: grant.expiresAt.toISOString(),
        uses: ask.uses,
      },
    });
    return grant;
  });
}

export async function revokeGrant(actor: Actor, grantId: string) {
  if (!z.uuid().safeParse(grantId).success)
    throw new AppError("not_found", "There is no such grant.");
  return db.$transaction(async (tx) => {
    const grant = await tx.approvalGrant.findUnique({ where: { id: grantId } });
    if (!grant) throw new AppError("not_found", "There is no such grant.");
    if (grant.grantedById !== actor.id && actor.role !== "admin")
      throw new AppError("forbidden", "Only its reviewer or an admin can revoke this grant.");
    if (grant.revokedAt) return grant;
    const revoked = await tx.approvalGrant.update({
      where: { id: grantId },
      data: { revokedAt: new Date(), revokedByEmail: actor.email },
    });
    await recordAudit(tx, {
      actorEmail: actor.email,
      action: "grant_revoked",
      payload: { grantId, tool: grant.tool, subjectId: grant.subjectId },
    });
    return revoked;
  });
}

export type GrantUse = { grantId: string; grantedById: string; grantedByEmail: string };

/**
 * Takes one use of a grant that covers this call, if there is one: the grant whose reviewer this
 * call's approval is recorded as. Null when none does (the call waits for a person as usual).
 */
export async function takeGrantUse(
  tx: Tx,
  call: {
    agent: string;
    tool: string;
    subjectId: string;
    arguments: Record<string, unknown>;
    reasonCodes: readonly string[];
    requiredApprovals: number;
  },
): Promise<GrantUse | null> {
  const now = new Date();
  const candidates = await tx.approvalGrant.findMany({
    where: {
      agent: call.agent,
      tool: call.tool,
      subjectId: call.subjectId,
      revokedAt: null,
      expiresAt: { gt: now },
      usesLeft: { gt: 0 },
    },
    orderBy: { createdAt: "asc" },
    take: 20,
  });
  for (const grant of candidates) {
    if (!grantCovers({ ...grant, bounds: grant.bounds as Bounds } satisfies GrantView, call, now))
      continue;
    // Conditional: a use spent or a revocation committed meanwhile leaves this grant out.
    const taken = await tx.approvalGrant.updateMany({
      where: { id: grant.id, revokedAt: null, expiresAt: { gt: now }, usesLeft: { gt: 0 } },
      data: { usesLeft: { decrement: 1 } },
    });
    if (taken.count === 1)
      return {
        grantId: grant.id,
        grantedById: grant.grantedById,
        grantedByEmail: grant.grantedByEmail,
      };
  }
  return null;
}

/** A grant as the API shows it. */
export function grantForApi(grant: Awaited<ReturnType<typeof listGrants>>[number]) {
  return {
    id: grant.id,
    agent: grant.agent,
    tool: grant.tool,
    subjectId: grant.subjectId,
    bounds: grant.bounds,
    grantedBy: grant.grantedByEmail,
    sourceApprovalId: grant.sourceApprovalId,
    createdAt: grant.createdAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
    usesLeft: grant.usesLeft,
    revokedAt: grant.revokedAt?.toISOString() ?? null,
    revokedBy: grant.revokedByEmail,
  };
}

export async function listGrants(filter: { grantedById?: string } = {}) {
  return db.approvalGrant.findMany({ where: filter, orderBy: { createdAt: "desc" }, take: 200 });
}

/** Grants as /account lists them: the actor's own (every reviewer's for an admin), with the customer's email. */
export async function grantsFor(actor: Actor) {
  const grants = await listGrants(actor.role === "admin" ? {} : { grantedById: actor.id });
  const customers = await db.user.findMany({
    where: { id: { in: [...new Set(grants.map((g) => g.subjectId))] } },
    select: { id: true, email: true },
  });
  const emailOf = new Map(customers.map((c) => [c.id, c.email]));
  return grants.map((g) => ({
    ...grantForApi(g),
    customer: emailOf.get(g.subjectId) ?? "a deleted account",
  }));
}
export type GrantListItem = Awaited<ReturnType<typeof grantsFor>>[number];
