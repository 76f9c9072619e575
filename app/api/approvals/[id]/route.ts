import { z } from "zod";
import { approvalPacket } from "@/lib/approvals/queries";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

// GET /api/approvals/{id} — the whole packet (with the trace), as the inbox's packet pane and an
// open packet page re-read it while they are open.
export const GET = guardedRoute<{ id: string }>(
  SURFACE_ROLES.inbox,
  async (actor, _request, { id }) => {
    const packet = z.uuid().safeParse(id).success ? await approvalPacket(id, actor.id) : null;
    if (!packet) throw new AppError("not_found", "This approval does not exist.");
    return packet;
  },
);
