"use server";

import { z } from "zod";
import { describeSettingIssue } from "@/components/admin/agent-setting-fields";
import { agentSettingsSchema, saveSettingsInput } from "@/lib/agent-settings/settings";
import { adminAction } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { saveThroughGate } from "@/lib/evals/gate";

// The settings are parsed here rather than by the wrapper so that a refusal names the field as
// the form labels it. The form also says which version it was editing, so a save never silently
// undoes a change another admin made in the meantime. The save goes through the
// promotion gate (lib/evals/gate.ts); a failed gate leaves the version a candidate.
const saveAgentSettingsInput = saveSettingsInput.extend({ settings: z.unknown(), basedOnVersion: z.number().int().min(0) });

const guardedSave = adminAction(saveAgentSettingsInput, async (actor, { basedOnVersion, settings: rawSettings, ...input }) => {
  const settings = agentSettingsSchema.safeParse(rawSettings);
  if (!settings.success) throw new AppError("invalid_input", settings.error.issues.map(describeSettingIssue).join("; "));
  // Save and activate: saved as a candidate, activated if the agent's eval suites pass on it.
  return saveThroughGate(actor, { ...input, settings: settings.data }, basedOnVersion);
});

export async function saveAgentSettings(input: unknown) {
  return guardedSave(input);
}
