import { pendingCount } from "@/lib/approvals/queries";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

// The navigation badge: GET /api/approvals/count → { pending }
export const GET = guardedRoute(SURFACE_ROLES.inbox, async (actor) => ({
  pending: await pendingCount(actor.id),
}));
