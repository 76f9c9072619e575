import "server-only";
import type { QueueScope } from "@/lib/approvals/queues";
import { db } from "@/lib/db";
import type { LiveEvent } from "./events";

// An item in a team's queue reaches only the reviewers who work that queue, as the inbox lists it
// (lib/approvals/queues.ts): their teams', those handed to them, items with no team, every queue
// for an admin. An approval event names its item, not its team, so the team is read when the
// event is delivered, once per event in this process and shared by every stream that asks (200
// reviewers' streams cost one read per event, not 200). An item moved to another queue (an
// escalation) reaches the reviewers of both: the event names the queue it left.
//
// Only approval events are narrowed: in-app notifications are listed to every reviewer
// (lib/notifications/in-app.ts), and runs and follow-ups have no queue.

/** Teams of recent events' items: undefined for an item that no longer exists. */
const teamByEvent = new Map<bigint, Promise<string | null | undefined>>();
/** Enough for every stream of a process to catch up on a burst; older entries are read again. */
const REMEMBERED_EVENTS = 1_024;

export function needsQueueCheck(event: LiveEvent): boolean {
  return event.kind === "approval" && event.approvalId !== null;
}

function teamOf(event: LiveEvent): Promise<string | null | undefined> {
  let team = teamByEvent.get(event.id);
  if (!team) {
    team = db.approval
      .findUnique({ where: { id: event.approvalId! }, select: { team: true } })
      .then((row) => (row ? row.team : undefined));
    // A failed read is not remembered: the next stream to ask reads again.
    team.catch(() => teamByEvent.delete(event.id));
    teamByEvent.set(event.id, team);
    if (teamByEvent.size > REMEMBERED_EVENTS) teamByEvent.delete(teamByEvent.keys().next().value!);
  }
  return team;
}

/** Whether the item `event` points at is in one of the queues of `scope` (false for an item gone). */
export async function inQueues(scope: QueueScope, event: LiveEvent): Promise<boolean> {
  if (scope.all) return true;
  // A move is news to the queue it left too: its inbox still lists the item.
  const worked = (team: string | null) => team === null || scope.teams.includes(team);
  if (event.approvalMoved && worked(event.approvalTeamLeft)) return true;
  const team = await teamOf(event);
  return team !== undefined && worked(team);
}
