import { z } from "zod";
import { decideApproval, decisionInput } from "@/lib/approvals/decide";
import { approvalForApi, checkEditedArguments } from "@/lib/approvals/queries";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { AppError, describeIssues } from "@/lib/errors";
import { readJsonObject } from "@/lib/http";

export const dynamic = "force-dynamic";

// POST /api/v1/approvals/{id}/decision — { decision: "approve" | "reject" | "edit", arguments?, reason?, expectedHash? }
// 200 with the decision and the item's resulting state; 409 when already decided (by whom, when).
// The customer reads `reason` word for word (a rejection's reason, an edit's note), as from the inbox.
export const POST = guardedRoute<{ id: string }>(
  SURFACE_ROLES.inbox,
  async (actor, request, { id }) => {
    if (!z.uuid().safeParse(id).success)
      throw new AppError("not_found", "This approval does not exist.");
    const body = await readJsonObject(request);
    const input = decisionInput.safeParse({ ...body, approvalId: id });
    if (!input.success)
      throw new AppError("invalid_input", describeIssues(input.error, { nameFields: true }));
    if (input.data.decision === "edit") await checkEditedArguments(id, input.data.arguments);
    const outcome = await decideApproval(actor, input.data);
    return { ...outcome, approval: await approvalForApi(id, actor.id) };
  },
  { tokenScope: "decide" },
);
