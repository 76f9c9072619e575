import { packetFacts } from "@/lib/approvals/facts";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

// GET /api/approvals/{id}/facts — related items, conflicts among pending ones, and the tool's
// pre-check warnings (it reads the world: asked when the packet opens, not on every poll).
export const GET = guardedRoute<{ id: string }>(SURFACE_ROLES.inbox, (_actor, _request, { id }) =>
  packetFacts(id),
);
