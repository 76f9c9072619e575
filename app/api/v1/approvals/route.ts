import { inboxQuery, listPending } from "@/lib/approvals/queries";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

// GET /api/v1/approvals?status=pending|decided|approved|rejected|expired&agent=&tool=&reason=
//   &sort=oldest|expiring&limit=1..100&cursor=<nextCursor of the previous page>
export const GET = guardedRoute(
  SURFACE_ROLES.inbox,
  (actor, _request, _params, { query }) => listPending(query, actor.id),
  {
    query: inboxQuery,
    tokenScope: "read",
  },
);
