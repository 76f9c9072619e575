import { z } from "zod";
import { claimApproval } from "@/lib/approvals/claims";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

// POST /api/approvals/{id}/claim — claims (or renews the claim on) an item the reviewer opened;
// answers with the claim that stands, which may be someone else's.
export const POST = guardedRoute<{ id: string }>(
  SURFACE_ROLES.inbox,
  async (actor, _request, { id }) => {
    if (!z.uuid().safeParse(id).success)
      throw new AppError("not_found", "This approval does not exist.");
    return claimApproval(actor, id);
  },
);
