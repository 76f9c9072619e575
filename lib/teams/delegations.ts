import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { DelegationInput } from "./inputs";

// Out of office: a reviewer hands their team queues to another reviewer for a period. While it
// lasts the other sees those queues in their inbox (lib/approvals/queues.ts); the giver keeps
// seeing them too. Created, listed and revoked by the giver (or an admin), each step audited.

export type DelegationView = {
  id: string;
  from: string;
  to: string;
  startsAt: string;
  endsAt: string;
  revokedAt: string | null;
  state: "upcoming" | "active" | "ended" | "revoked";
};

export async function createDelegation(actor: Actor, input: DelegationInput) {
  if (input.endsAt <= new Date()) throw new AppError("invalid_input", "until: in the future");
  const to = await db.user.findUnique({
    where: { email: input.toEmail },
    select: { id: true, email: true, role: true, active: true },
  });
  if (!to || !to.active || to.role === "user")
    throw new AppError("invalid_input", `to: ${input.toEmail} is not an active reviewer`);
  if (to.id === actor.id) throw new AppError("invalid_input", "to: someone other than you");
  return db.$transaction(async (tx) => {
    const row = await tx.delegation.create({
      data: {
        fromUserId: actor.id,
        toUserId: to.id,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
      },
    });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "queues_delegated",
      payload: {
        id: row.id,
        to: to.email,
        startsAt: input.startsAt.toISOString(),
        endsAt: input.endsAt.toISOString(),
      },
    });
    return { id: row.id };
  });
}

export async function revokeDelegation(actor: Actor, input: { id: string }) {
  return db.$transaction(async (tx) => {
    const row = await tx.delegation.findUnique({ where: { id: input.id } });
    if (!row || (row.fromUserId !== actor.id && actor.role !== "admin"))
      throw new AppError("not_found", "There is no such hand-over of yours.");
    const revoked = await tx.delegation.updateMany({
      where: { id: input.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count === 0) throw new AppError("conflict", "This hand-over was already revoked.");
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "queues_delegation_revoked",
      payload: { id: input.id },
    });
    return { id: input.id };
  });
}

/** Hand-overs from me and to me that have not ended more than a week ago, newest first. */
export async function listDelegations(userId: string, now = new Date()): Promise<DelegationView[]> {
  const rows = await db.delegation.findMany({
    where: {
      OR: [{ fromUserId: userId }, { toUserId: userId }],
      endsAt: { gt: new Date(now.getTime() - 7 * 86_400_000) },
    },
    orderBy: { startsAt: "desc" },
    take: 50,
  });
  const users = await db.user.findMany({
    where: { id: { in: rows.flatMap((r) => [r.fromUserId, r.toUserId]) } },
    select: { id: true, email: true },
  });
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  return rows.map((r) => ({
    id: r.id,
    from: emailOf.get(r.fromUserId) ?? "a removed account",
    to: emailOf.get(r.toUserId) ?? "a removed account",
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    state: r.revokedAt
      ? "revoked"
      : r.endsAt <= now
        ? "ended"
        : r.startsAt > now
          ? "upcoming"
          : "active",
  }));
}
