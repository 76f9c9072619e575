import { approvalForApi } from "@/lib/approvals/queries";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

// GET /api/v1/approvals/{id} — the item's state: proposed, approved and executed arguments,
// reasons, confidence, decision and claim.
export const GET = guardedRoute<{ id: string }>(
  SURFACE_ROLES.inbox,
  async (actor, _request, { id }) => approvalForApi(id, actor.id),
  {
    tokenScope: "read",
  },
);
