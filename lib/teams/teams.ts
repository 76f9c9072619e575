import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { TeamSettingsInput } from "./inputs";

// Teams of reviewers: each is a queue rules can route items to, with its time to decide (SLA) and
// where an item past it is escalated (a person told, optionally another team's queue). Every
// change is audited.

export type TeamView = {
  name: string;
  title: string;
  slaMinutes: number;
  escalationEmail: string | null;
  escalateToTeam: string | null;
  members: Array<{ userId: string; email: string; name: string }>;
};

export async function listTeams(): Promise<TeamView[]> {
  const teams = await db.team.findMany({
    orderBy: { name: "asc" },
    include: { members: { orderBy: { addedAt: "asc" } } },
  });
  const users = await db.user.findMany({
    where: { id: { in: teams.flatMap((t) => t.members.map((m) => m.userId)) } },
    select: { id: true, email: true, name: true },
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  return teams.map((t) => ({
    name: t.name,
    title: t.title,
    slaMinutes: Math.round(t.slaSeconds / 60),
    escalationEmail: t.escalationEmail,
    escalateToTeam: t.escalateToTeam,
    members: t.members.flatMap((m) => {
      const user = byId.get(m.userId);
      return user ? [{ userId: user.id, email: user.email, name: user.name }] : [];
    }),
  }));
}

/** People who may decide items: active reviewers and admins. */
export async function listReviewers() {
  return db.user.findMany({
    where: { active: true, role: { in: ["reviewer", "admin"] } },
    select: { id: true, email: true, name: true },
    orderBy: { email: "asc" },
  });
}

async function reviewerByEmail(tx: Tx, email: string, field: string) {
  const user = await tx.user.findUnique({
    where: { email },
    select: { id: true, email: true, role: true, active: true },
  });
  if (!user || !user.active || user.role === "user")
    throw new AppError("invalid_input", `${field}: ${email} is not an active reviewer or admin`);
  return user;
}

async function checkEscalation(tx: Tx, input: TeamSettingsInput) {
  if (input.escalationEmail) await reviewerByEmail(tx, input.escalationEmail, "escalation contact");
  if (
    input.escalateToTeam &&
    !(await tx.team.findUnique({ where: { name: input.escalateToTeam } }))
  ) {
    throw new AppError(
      "invalid_input",
      `escalation queue: there is no team ${input.escalateToTeam}`,
    );
  }
}

const settingsOf = (input: TeamSettingsInput) => ({
  title: input.title,
  slaSeconds: input.slaMinutes * 60,
  escalationEmail: input.escalationEmail,
  escalateToTeam: input.escalateToTeam,
});

export async function createTeam(actor: Actor, input: TeamSettingsInput) {
  return db.$transaction(async (tx) => {
    if (await tx.team.findUnique({ where: { name: input.name } }))
      throw new AppError("conflict", `name: a team called ${input.name} already exists`);
    await checkEscalation(tx, input);
    await tx.team.create({ data: { name: input.name, ...settingsOf(input) } });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "team_created",
      payload: { ...input },
    });
    return { name: input.name };
  });
}

/** Renames (its title) and changes its SLA and escalation; the name rules route by stays. */
export async function updateTeam(actor: Actor, input: TeamSettingsInput) {
  return db.$transaction(async (tx) => {
    const before = await tx.team.findUnique({ where: { name: input.name } });
    if (!before) throw new AppError("not_found", `There is no team ${input.name}.`);
    await checkEscalation(tx, input);
    await tx.team.update({ where: { name: input.name }, data: settingsOf(input) });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "team_changed",
      payload: {
        ...input,
        before: {
          title: before.title,
          slaMinutes: before.slaSeconds / 60,
          escalationEmail: before.escalationEmail,
          escalateToTeam: before.escalateToTeam,
        },
      },
    });
    return { name: input.name };
  });
}

export async function addMember(actor: Actor, input: { team: string; email: string }) {
  return db.$transaction(async (tx) => {
    if (!(await tx.team.findUnique({ where: { name: input.team } })))
      throw new AppError("not_found", `There is no team ${input.team}.`);
    const user = await reviewerByEmail(tx, input.email, "member");
    const added = await tx.teamMember.createMany({
      data: [{ teamName: input.team, userId: user.id }],
      skipDuplicates: true,
    });
    if (added.count === 0)
      throw new AppError("conflict", `${user.email} is already in ${input.team}.`);
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "team_member_added",
      payload: { team: input.team, userId: user.id, email: user.email },
    });
    return { team: input.team, userId: user.id };
  });
}

export async function removeMember(actor: Actor, input: { team: string; userId: string }) {
  return db.$transaction(async (tx) => {
    const removed = await tx.teamMember.deleteMany({
      where: { teamName: input.team, userId: input.userId },
    });
    if (removed.count === 0) throw new AppError("not_found", "That reviewer is not in this team.");
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { email: true } });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "team_member_removed",
      payload: { team: input.team, userId: input.userId, email: user?.email ?? null },
    });
    return { team: input.team };
  });
}
