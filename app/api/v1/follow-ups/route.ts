import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { followUpStatus, listFollowUps, openFollowUpCount } from "@/lib/follow-ups/service";

export const dynamic = "force-dynamic";

// GET /api/v1/follow-ups?status=open|answered — open ones longest-waiting first, with the open total.
export const GET = guardedRoute(
  SURFACE_ROLES.inbox,
  async (_actor, request) => {
    const status = followUpStatus.safeParse(new URL(request.url).searchParams.get("status") ?? "open");
    if (!status.success) throw new AppError("invalid_input", status.error.issues[0]!.message);
    const [items, open] = await Promise.all([listFollowUps(status.data), openFollowUpCount()]);
    return { items, open };
  },
  { tokenScope: "read" },
);
