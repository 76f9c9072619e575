"use server";

// The workspace limits' server action. Saving an agent's settings goes through the promotion gate,
// so its action lives with the gate (saveAgentSettings in lib/evals/actions.ts).

import { z } from "zod";
import { describeLimitIssue } from "./limit-fields";
import { saveLimits, saveLimitsInput, workspaceLimitsSchema } from "./workspace-limits";
import { adminAction } from "@/lib/auth/guards";
import { AppError, describeIssues } from "@/lib/errors";

// The limits are parsed here rather than by the wrapper so that a refusal names the field as the
// form labels it; the form says which version it was editing, so a save never undoes another's.
const saveWorkspaceLimitsInput = saveLimitsInput.extend({
  limits: z.unknown(),
  basedOnVersion: z.number().int().min(0),
});

const guardedSaveLimits = adminAction(
  saveWorkspaceLimitsInput,
  async (actor, { basedOnVersion, limits: rawLimits, reason }) => {
    const limits = workspaceLimitsSchema.safeParse(rawLimits);
    if (!limits.success)
      throw new AppError(
        "invalid_input",
        describeIssues(limits.error, { describe: describeLimitIssue }),
      );
    return saveLimits(actor, { limits: limits.data, reason }, basedOnVersion);
  },
);

export async function saveWorkspaceLimits(input: unknown) {
  return guardedSaveLimits(input);
}
