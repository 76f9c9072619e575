import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { savePolicyBody } from "@/lib/policy/inputs";
import { activePolicy, savePolicy } from "@/lib/policy/versions";

export const dynamic = "force-dynamic";

const view = (p: Awaited<ReturnType<typeof activePolicy>>) => ({
  version: p.version,
  rules: p.document.rules,
  ...(p.document.grantsOff && { grantsOff: p.document.grantsOff }),
  reason: p.reason,
  savedBy: p.savedBy,
  savedAt: p.savedAt,
});

// GET /api/v1/policy — the rule set in force, as one JSON document ({ version, rules, … }).
export const GET = guardedRoute(SURFACE_ROLES.admin, async () => view(await activePolicy()), {
  tokenScope: "admin",
});

// PUT /api/v1/policy — { replaces, reason, rules }: a new version in force. 400 naming the field for
// an invalid document (nothing changes); 409 when `replaces` is not the version in force.
export const PUT = guardedRoute(
  SURFACE_ROLES.admin,
  async (actor, _request, _params, { body }) =>
    view(
      await savePolicy(actor, {
        document: { rules: body.rules, ...(body.grantsOff && { grantsOff: body.grantsOff }) },
        replaces: body.replaces,
        reason: body.reason,
      }),
    ),
  { tokenScope: "admin", body: savePolicyBody },
);
