import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { openFollowUpCount } from "@/lib/follow-ups/service";

export const dynamic = "force-dynamic";

// The navigation's follow-up count: GET /api/follow-ups/count → { open }
export const GET = guardedRoute(SURFACE_ROLES.inbox, async () => ({
  open: await openFollowUpCount(),
}));
