"use server";

import { z } from "zod";
import { adminAction, reviewerAction } from "@/lib/auth/guards";
import { safeText } from "@/lib/validation/text";
import { describeSettingIssue } from "@/lib/agent-settings/setting-fields";
import { agentSettingsSchema, saveSettingsInput } from "@/lib/agent-settings/settings";
import { AppError, describeIssues } from "@/lib/errors";
import { overrideGate, promoteVersion, saveThroughGate } from "./gate";
import { addCaseFromApproval, addCaseInput } from "./record";
import { runEvals } from "./run";

// Server actions of the evals surface: each authenticates, authorises and validates itself
// through the guarded wrappers; the domain functions take the acting user as a parameter.

const agentName = z.string().min(1, "agent: choose an agent").max(80);
const versionNumber = z.number({ message: "version: a settings version number" }).int().min(0);

const overrideInput = z.object({
  agent: agentName,
  version: versionNumber,
  evalRunId: z.uuid({ message: "evalRunId: the failed gate's eval run" }),
  reason: safeText()
    .trim()
    .min(3, "Say why this version may go live although cases failed")
    .max(500),
  basedOnVersion: versionNumber.optional(),
});

const promoteInput = z.object({
  agent: agentName,
  version: versionNumber,
  basedOnVersion: versionNumber.optional(),
});
const runInput = z.object({
  agent: agentName,
  version: versionNumber.optional(),
  suites: z.array(z.string().max(40)).max(20).optional(),
});

const guardedOverride = adminAction(overrideInput, (actor, input) => overrideGate(actor, input));
const guardedPromote = adminAction(promoteInput, (actor, input) => promoteVersion(actor, input));
const guardedRun = adminAction(runInput, async (actor, input) => {
  const report = await runEvals({ ...input, trigger: "console", actorEmail: actor.email });
  return {
    id: report.id,
    passed: report.passed,
    total: report.cases.length,
    regressions: report.regressions,
  };
});

// One action: the case is recorded, then run on the version that produced the decided call, so
// the reviewer sees at once whether that version fails it (as a rejected call's case should).
const guardedAddCase = reviewerAction(addCaseInput, async (actor, input) => {
  const added = await addCaseFromApproval(actor, input);
  const report = await runEvals({
    agent: added.agent,
    suites: [added.suite],
    version: added.producedByVersion,
    trigger: "console",
    actorEmail: actor.email,
  });
  const result = report.cases.find((c) => c.key === added.caseKey);
  return {
    ...added,
    evalRunId: report.id,
    check: {
      version: report.version,
      passed: result?.passed ?? false,
      failures: result?.failures ?? [],
    },
  };
});

/** Activates a version whose promotion gate failed, with the admin's reason (history and audit trail). */
export async function activateDespiteGate(input: unknown) {
  return guardedOverride(input);
}

/** Runs the gate on a candidate version and activates it if every case passes. */
export async function promoteCandidate(input: unknown) {
  return guardedPromote(input);
}

/** Runs an agent's suites on a version (default: the active one) and records the results. */
export async function runSuites(input: unknown) {
  return guardedRun(input);
}

/** Adds a decided approval to an eval suite, pre-filled from what happened. */
export async function addDecisionAsCase(input: unknown) {
  return guardedAddCase(input);
}

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

/** Saves an agent's settings as a new version and activates it if the gate passes. */
export async function saveAgentSettings(input: unknown) {
  return guardedSave(input);
}
