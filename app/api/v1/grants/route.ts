import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { grantForApi, listGrants } from "@/lib/policy/grant-store";

export const dynamic = "force-dynamic";

// GET /api/v1/grants — "approve calls like this automatically" grants, newest first: a reviewer's
// own, every reviewer's for an admin. Each says its scope, uses left, expiry and whether revoked.
export const GET = guardedRoute(
  SURFACE_ROLES.inbox,
  async (actor) => ({
    grants: (await listGrants(actor.role === "admin" ? {} : { grantedById: actor.id })).map(
      grantForApi,
    ),
  }),
  { tokenScope: "read" },
);
