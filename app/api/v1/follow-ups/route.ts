import { z } from "zod";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { followUpStatus, listFollowUps, openFollowUpCount } from "@/lib/follow-ups/service";

export const dynamic = "force-dynamic";

const followUpsQuery = z.object({ status: followUpStatus.default("open") });

// GET /api/v1/follow-ups?status=open|answered — open ones longest-waiting first, with the open total.
export const GET = guardedRoute(
  SURFACE_ROLES.inbox,
  async (_actor, _request, _params, { query }) => {
    const [items, open] = await Promise.all([listFollowUps(query.status), openFollowUpCount()]);
    return { items, open };
  },
  { query: followUpsQuery, tokenScope: "read" },
);
