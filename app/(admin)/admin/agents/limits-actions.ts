"use server";

import { z } from "zod";
import { describeLimitIssue } from "@/components/admin/workspace-limit-fields";
import { saveLimits, saveLimitsInput, workspaceLimitsSchema } from "@/lib/agent-settings/workspace-limits";
import { adminAction } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";

// The limits are parsed here rather than by the wrapper so that a refusal names the field as the
// form labels it; the form says which version it was editing, so a save never undoes another's.
const saveWorkspaceLimitsInput = saveLimitsInput.extend({ limits: z.unknown(), basedOnVersion: z.number().int().min(0) });

const guardedSave = adminAction(saveWorkspaceLimitsInput, async (actor, { basedOnVersion, limits: rawLimits, reason }) => {
  const limits = workspaceLimitsSchema.safeParse(rawLimits);
  if (!limits.success) throw new AppError("invalid_input", limits.error.issues.map(describeLimitIssue).join("; "));
  return saveLimits(actor, { limits: limits.data, reason }, basedOnVersion);
});

export async function saveWorkspaceLimits(input: unknown) {
  return guardedSave(input);
}
