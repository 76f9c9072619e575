import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { grantForApi, revokeGrant } from "@/lib/policy/grant-store";

export const dynamic = "force-dynamic";

// POST /api/v1/grants/{id}/revoke — ends a grant at once (its reviewer or an admin): the next call
// it would have covered waits for a person. Revoking a revoked grant changes nothing.
export const POST = guardedRoute<{ id: string }>(
  SURFACE_ROLES.inbox,
  async (actor, _request, { id }) => grantForApi(await revokeGrant(actor, id)),
  {
    tokenScope: "decide",
  },
);
