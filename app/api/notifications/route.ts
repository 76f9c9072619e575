import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import {
  listInAppNotifications,
  markNotificationsRead,
  markReadInput,
} from "@/lib/notifications/in-app";

export const dynamic = "force-dynamic";

// GET /api/notifications — the reviewer's in-app notifications and their own unread count.
export const GET = guardedRoute(SURFACE_ROLES.inbox, (actor) => listInAppNotifications(actor.id));

// POST /api/notifications — { "ids": [...] } or { "all": true } marks them read for this reviewer.
export const POST = guardedRoute(
  SURFACE_ROLES.inbox,
  (actor, _request, _params, { body }) => markNotificationsRead(actor.id, body),
  { body: markReadInput },
);
