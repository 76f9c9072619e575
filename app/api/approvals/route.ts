import { inboxQuery, listPending } from "@/lib/approvals/queries";
import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = guardedRoute(SURFACE_ROLES.inbox, async (_actor, request) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const query = inboxQuery.safeParse(params);
  if (!query.success) throw new AppError("invalid_input", "Invalid filters");
  return listPending(query.data);
});
