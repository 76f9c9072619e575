import { inboxQuery, listPending } from "@/lib/approvals/queries";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

// The inbox's live view: GET /api/approvals?status=&agent=&tool=&reason=&sort=&cursor=&limit=
export const GET = guardedRoute(
  SURFACE_ROLES.inbox,
  (actor, _request, _params, { query }) => listPending(query, actor.id),
  { query: inboxQuery },
);
