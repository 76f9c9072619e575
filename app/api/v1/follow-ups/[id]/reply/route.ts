import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { AppError, describeIssues } from "@/lib/errors";
import { readJsonObject } from "@/lib/http";
import { replyInput, replyToFollowUp } from "@/lib/follow-ups/service";

export const dynamic = "force-dynamic";

// POST /api/v1/follow-ups/{id}/reply — { "text": "…" } posts the reply in the user's chat.
// 200 with when it was answered; 409 when someone answered first (who, when).
export const POST = guardedRoute<{ id: string }>(
  SURFACE_ROLES.inbox,
  async (actor, request, { id }) => {
    const body = await readJsonObject(request);
    const input = replyInput.safeParse({ ...body, followUpId: id });
    if (!input.success)
      throw new AppError(
        input.error.issues.some((i) => i.path[0] === "followUpId") ? "not_found" : "invalid_input",
        describeIssues(input.error),
      );
    return replyToFollowUp(actor, input.data);
  },
  { tokenScope: "reply" },
);
