import { decideApproval, decisionInput } from "@/lib/approvals/decide";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { AppError, describeIssues } from "@/lib/errors";

export const dynamic = "force-dynamic";

// POST /api/v1/approvals/{id}/decision — { decision: "approve" | "reject" | "edit", arguments?, reason? }
export const POST = guardedRoute<{ id: string }>(SURFACE_ROLES.inbox, async (actor, request, { id }) => {
  const body = await request.json().catch(() => {
    throw new AppError("invalid_input", "The body must be JSON");
  });
  const input = decisionInput.safeParse({ ...(typeof body === "object" && body ? body : {}), approvalId: id });
  if (!input.success) throw new AppError("invalid_input", describeIssues(input.error));
  return decideApproval(actor, input.data);
});
