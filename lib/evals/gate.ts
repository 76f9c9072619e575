import "server-only";
import {
  activateVersion,
  saveSettings,
  type EffectiveSettings,
} from "@/lib/agent-settings/settings";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { runEvals } from "./run";
import { suiteNames } from "./suites";

// The promotion gate: a version becomes active only if every case of the agent's suites passes on
// it, or an admin overrides a failed gate with a reason (kept in the version history and the
// audit trail, with the cases that failed).

export type GateFailure = { key: string; failures: string[] };
export type GateOutcome =
  | { activated: true; version: number; gate: "passed" | "no_suites"; evalRunId: string | null }
  | {
      activated: false;
      version: number;
      evalRunId: string;
      passed: number;
      total: number;
      failed: GateFailure[];
    };

export async function promoteVersion(
  actor: Actor,
  input: { agent: string; version: number; basedOnVersion?: number },
): Promise<GateOutcome> {
  if (!(await suiteNames(input.agent)).length) {
    await activateVersion(actor, { ...input, verdict: { gate: "no_suites" } });
    return { activated: true, version: input.version, gate: "no_suites", evalRunId: null };
  }
  const report = await runEvals({
    agent: input.agent,
    version: input.version,
    trigger: "gate",
    actorEmail: actor.email,
  });
  if (report.failed > 0) {
    return {
      activated: false,
      version: input.version,
      evalRunId: report.id,
      passed: report.passed,
      total: report.cases.length,
      failed: report.cases
        .filter((c) => !c.passed)
        .map((c) => ({ key: c.key, failures: c.failures })),
    };
  }
  await activateVersion(actor, { ...input, verdict: { gate: "passed", evalRunId: report.id } });
  return { activated: true, version: input.version, gate: "passed", evalRunId: report.id };
}

/** Activates a version whose gate failed, with the admin's reason; the failing eval run must be of that version. */
export async function overrideGate(
  actor: Actor,
  input: {
    agent: string;
    version: number;
    evalRunId: string;
    reason: string;
    basedOnVersion?: number;
  },
): Promise<EffectiveSettings> {
  const run = await db.evalRun.findUnique({
    where: { id: input.evalRunId },
    include: { cases: { where: { passed: false }, select: { suite: true, caseId: true } } },
  });
  if (!run || run.agent !== input.agent || run.version !== input.version) {
    throw new AppError(
      "invalid_input",
      `evalRunId: not an eval run of ${input.agent} version ${input.version}`,
    );
  }
  return activateVersion(actor, {
    agent: input.agent,
    version: input.version,
    basedOnVersion: input.basedOnVersion,
    verdict: {
      gate: "overridden",
      overrideReason: input.reason,
      evalRunId: run.id,
      failedCases: run.cases.map((c) => `${c.suite}/${c.caseId}`),
    },
  });
}

/** "Save and activate": the new version is saved as a candidate, then goes through the gate. */
export async function saveThroughGate(
  actor: Actor,
  input: Parameters<typeof saveSettings>[1],
  basedOnVersion: number,
) {
  const saved = await saveSettings(actor, input, basedOnVersion, { activate: false });
  const gate = await promoteVersion(actor, {
    agent: input.agent,
    version: saved.version,
    basedOnVersion,
  });
  return { ...saved, active: gate.activated, gate };
}
