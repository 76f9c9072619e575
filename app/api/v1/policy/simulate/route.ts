import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { parsePolicyDocument } from "@/lib/policy/document";
import { simulateBody } from "@/lib/policy/inputs";
import { simulatePolicy } from "@/lib/policy/simulate";

export const dynamic = "force-dynamic";

// POST /api/v1/policy/simulate — { rules, days?, agent? }: what the draft would have done to the
// calls of the last `days` days (default 30), beside the rules in force; nothing changes.
export const POST = guardedRoute(
  SURFACE_ROLES.admin,
  async (_actor, _request, _params, { body }) => {
    const parsed = parsePolicyDocument({ rules: body.rules });
    if (!parsed.ok) throw new AppError("invalid_input", parsed.problems.join("; "));
    return simulatePolicy({ document: parsed.document, days: body.days, agent: body.agent });
  },
  { tokenScope: "admin", body: simulateBody },
);
