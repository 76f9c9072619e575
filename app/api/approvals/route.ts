import { listPending, parseInboxSearch } from "@/lib/approvals/queries";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

// The inbox's live view: GET /api/approvals?status=&agent=&tool=&reason=&sort=&cursor=&limit=
export const GET = guardedRoute(SURFACE_ROLES.inbox, async (actor, request) => listPending(parseInboxSearch(new URL(request.url).searchParams), actor.id));
