"use server";

import { z } from "zod";
import { adminAction, reviewerAction } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { parsePolicyDocument } from "./document";
import { savePolicyBody, simulateBody } from "./inputs";
import { simulatePolicy } from "./simulate";
import { savePolicy } from "./versions";
import { revokeGrant } from "./grant-store";

// The /admin/policy page's doors: the same bodies, schemas and functions as PUT /api/v1/policy and
// POST /api/v1/policy/simulate, behind the admin check every server action makes for itself; and
// /account's revocation of a standing permission (its reviewer or an admin: revokeGrant checks).

const guardedSave = adminAction(savePolicyBody, async (actor, body) => {
  const saved = await savePolicy(actor, {
    document: { rules: body.rules, ...(body.grantsOff && { grantsOff: body.grantsOff }) },
    replaces: body.replaces,
    reason: body.reason,
  });
  return { version: saved.version, savedBy: saved.savedBy, savedAt: saved.savedAt };
});

export async function savePolicyAction(input: unknown) {
  return guardedSave(input);
}

const guardedSimulate = adminAction(simulateBody, async (_actor, body) => {
  const parsed = parsePolicyDocument({ rules: body.rules });
  if (!parsed.ok) throw new AppError("invalid_input", parsed.problems.join("; "));
  return simulatePolicy({ document: parsed.document, days: body.days, agent: body.agent });
});

export async function simulatePolicyAction(input: unknown) {
  return guardedSimulate(input);
}

const guardedRevoke = reviewerAction(
  z.object({ grantId: z.uuid({ message: "Unknown grant" }) }).strict(),
  async (actor, { grantId }) => {
    const revoked = await revokeGrant(actor, grantId);
    return { id: revoked.id, revokedAt: revoked.revokedAt!.toISOString() };
  },
);

export async function revokeGrantAction(input: unknown) {
  return guardedRevoke(input);
}
