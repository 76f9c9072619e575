import "server-only";
import { db } from "@/lib/db";
import { builder, rows } from "@/lib/store";
import { Prisma } from "@/lib/generated/prisma/client";

// Which team queues a reviewer works: their own teams', the teams of anyone who has handed their
// queues to them for now (out of office, lib/teams/delegations.ts), and every queue for an admin.
// Items with no team are everyone's. The inbox's list reads through this.

export type QueueScope = { all: true } | { all: false; teams: string[] };

export async function visibleQueues(viewerId: string, now = new Date()): Promise<QueueScope> {
  const viewer = await db.user.findUnique({ where: { id: viewerId }, select: { role: true } });
  if (viewer?.role === "admin") return { all: true };
  // Their own teams, and those of whoever hands their queue over to them now.
  const teams = await rows(
    db,
    builder
      .selectFrom("team_members as m")
      .select("m.team_name")
      .distinct()
      .where((eb) =>
        eb.or([
          eb("m.user_id", "=", viewerId),
          eb(
            "m.user_id",
            "in",
            eb
              .selectFrom("delegations as d")
              .select("d.from_user_id")
              .where("d.to_user_id", "=", viewerId)
              .where("d.revoked_at", "is", null)
              .where("d.starts_at", "<=", now)
              .where("d.ends_at", ">", now),
          ),
        ]),
      ),
  );
  return { all: false, teams: teams.map((r) => r.team_name).sort() };
}

/** The SQL condition on `approvals a` for a scope: no team, or one of the scope's teams. */
export function queueCondition(scope: QueueScope): Prisma.Sql | null {
  if (scope.all) return null;
  return Prisma.sql`(a.team is null or a.team = any(${scope.teams}::text[]))`;
}

export type DueState = "on_time" | "near" | "overdue";

/** The last quarter of an item's time to decide is "near": the inbox highlights it. */
const NEAR_SHARE = 0.25;

/** Where a pending item stands against its due time (null: it has none, or it is decided). */
export function dueState(
  item: { status: string; createdAt: Date; dueAt: Date | null },
  now = new Date(),
): DueState | null {
  if (item.status !== "pending" || !item.dueAt) return null;
  const left = item.dueAt.getTime() - now.getTime();
  if (left <= 0) return "overdue";
  const span = item.dueAt.getTime() - item.createdAt.getTime();
  return left <= span * NEAR_SHARE ? "near" : "on_time";
}
