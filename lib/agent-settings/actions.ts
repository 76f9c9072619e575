"use server";

import { z } from "zod";
import { describeLimitIssue } from "./limit-fields";
import { describeSettingIssue } from "./setting-fields";
import { agentSettingsSchema, saveSettingsInput } from "./settings";
import { saveLimits, saveLimitsInput, workspaceLimitsSchema } from "./workspace-limits";
import { adminAction } from "@/lib/auth/guards";
import { AppError, describeIssues } from "@/lib/errors";
import { saveThroughGate } from "@/lib/evals/gate";

// The settings are parsed here rather than by the wrapper so that a refusal names the field as
// the form labels it. The form also says which version it was editing, so a save never silently
// undoes a change another admin made in the meantime. The save goes through the promotion gate
// (lib/evals/gate.ts): saved as a candidate, activated if the agent's eval suites pass on it.
const saveAgentSettingsInput = saveSettingsInput.extend({
  settings: z.unknown(),
  basedOnVersion: z.number().int().min(0),
});

const guardedSave = adminAction(
  saveAgentSettingsInput,
  async (actor, { basedOnVersion, settings: rawSettings, ...input }) => {
    const settings = agentSettingsSchema.safeParse(rawSettings);
    if (!settings.success)
      throw new AppError(
        "invalid_input",
        describeIssues(settings.error, { describe: describeSettingIssue }),
      );
    return saveThroughGate(actor, { ...input, settings: settings.data }, basedOnVersion);
  },
);

export async function saveAgentSettings(input: unknown) {
  return guardedSave(input);
}

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
