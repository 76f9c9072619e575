import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ApprovalStatus } from "@/lib/generated/prisma/enums";
import { recordApprovalOpen } from "./opens";

/** Opening an item claims it for this long; an open page renews it well before it lapses. */
export const CLAIM_SECONDS = 5 * 60;

/** Who is working an item right now. A claim warns other reviewers; it never blocks a decision. */
export type ClaimView = { holderName: string; holderEmail: string; until: string; mine: boolean };

type ClaimColumns = {
  status: ApprovalStatus;
  claimedById: string | null;
  claimedUntil: Date | null;
  claimedBy: { name: string; email: string } | null;
};

/** The live claim on an approval as `viewerId` sees it: none once decided or lapsed. */
export function activeClaim(
  row: ClaimColumns,
  viewerId: string | null,
  now = new Date(),
): ClaimView | null {
  if (row.status !== "pending" || !row.claimedBy || !row.claimedUntil || row.claimedUntil <= now)
    return null;
  return {
    holderName: row.claimedBy.name,
    holderEmail: row.claimedBy.email,
    until: row.claimedUntil.toISOString(),
    mine: row.claimedById === viewerId,
  };
}

export const claimSelect = {
  status: true,
  claimedById: true,
  claimedUntil: true,
  claimedBy: { select: { name: true, email: true } },
} as const;

/**
 * Claims a pending item for the actor, or renews their claim. Someone else's live claim is left
 * alone (the conditional update loses) and reported, so the caller can show who is on it.
 */
export async function claimApproval(
  actor: Actor,
  approvalId: string,
): Promise<{ status: ApprovalStatus; claim: ClaimView | null }> {
  const now = new Date();
  await db.approval.updateMany({
    where: {
      id: approvalId,
      status: "pending",
      OR: [
        { claimedById: null },
        { claimedById: actor.id },
        { claimedUntil: null },
        { claimedUntil: { lte: now } },
      ],
    },
    data: { claimedById: actor.id, claimedUntil: new Date(now.getTime() + CLAIM_SECONDS * 1000) },
  });
  await recordApprovalOpen(actor.id, approvalId, now); // /ops: when this reviewer's time on the packet starts
  const current = await db.approval.findUnique({ where: { id: approvalId }, select: claimSelect });
  if (!current) throw new AppError("not_found", "This approval does not exist.");
  return { status: current.status, claim: activeClaim(current, actor.id, now) };
}
