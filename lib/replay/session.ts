import "server-only";
import { ToolError } from "@/lib/agent-kit";
import { effectiveSettings, settingsAt } from "@/lib/agent-settings/settings";
import { db, type Tx } from "@/lib/db";
import type { Prisma, Run, ToolCall } from "@/lib/generated/prisma/client";
import { stableHash } from "@/lib/idempotency/hash";
import type { ModelProvider } from "@/lib/model/types";
import type { ScratchCall, ScratchKind, ScratchSession } from "@/lib/runtime/hooks";
import { transitionToolCall } from "@/lib/runtime/transitions";
import { describeCall, type Execute } from "@/lib/scratch/tools";
import { recordEvent } from "@/lib/trace/events";
import {
  loadRecording,
  recordedCallFor,
  recordedModel,
  servedAttempts,
  type Recording,
} from "./recorded";

// A scratch run (mode replay or shadow) is driven by the same engine as a live one; this session
// (its type: ScratchSession in lib/runtime/hooks.ts, registered by lib/features.ts) is what the
// engine consults at its few marked call sites instead of the real world:
//
//   replay  the recorded run again: model answers, tool results and reviewers' decisions served
//           from its recording, so any difference in the trace is the engine's.
//   rerun   the recorded request against another settings version: the real model, read tools
//           served from the recording where they match (else from the agent's sandbox), writes
//           never run.
//   shadow  a sampled live request against the agent's shadow version: the real model, reads
//           from the agent's sandbox, writes never run.
//
// Nothing is parked for reviewers: a call that would wait for a person is recorded as "would
// call …". What is not served here is carried out by lib/scratch/tools.ts, which never reaches a
// real system.

export type { ScratchKind, ScratchSession };

export { describeCall };

/** The session for a scratch run, or null for a live one. A scratch run without its record is never driven as if it were live. */
export async function scratchSession(
  run: Pick<Run, "id" | "mode">,
  model: ModelProvider,
): Promise<ScratchSession | null> {
  if (run.mode === "live") return null;
  const scratch = await db.scratchRun.findUniqueOrThrow({ where: { runId: run.id } });
  const kind = scratch.kind as ScratchKind;
  const recording = kind === "shadow" ? null : await loadRecording(scratch.sourceRunId);
  const source = await db.run.findUniqueOrThrow({
    where: { id: scratch.sourceRunId },
    select: { agent: true, agentVersion: true },
  });
  const pinned =
    kind === "replay"
      ? { agent: source.agent, version: source.agentVersion ?? 0 }
      : { agent: scratch.agent, version: scratch.version ?? 0 };

  return {
    kind,
    model: kind === "replay" ? recordedModel(recording!, run.id) : model,
    async settingsFor(agent, tx) {
      if (agent !== pinned.agent) return effectiveSettings(agent, tx);
      return { agent, version: pinned.version, settings: await settingsAt(agent, pinned.version) };
    },
    insteadOfParking: (tx, call) =>
      kind === "replay" ? serveDecision(tx, recording!, call) : wouldCall(tx, call),
    served(tool, call) {
      if (kind === "replay") {
        const recorded = recordedCallFor(recording!, call);
        if (!recorded) return notRecorded(call);
        return servedAttempts(recorded);
      }
      if (!tool.readOnly || !recording) return null;
      const recorded = recording.calls.find(
        (c) => c.tool === call.tool && c.argsHash === call.argsHash && c.status === "succeeded",
      );
      // A matching read answers with its recorded result (its retries were the recorded run's weather).
      return recorded ? servedAttempts({ ...recorded, failedAttempts: [] }) : null;
    },
  };
}

/** Replay: the decision the recording holds for this call, applied as the reviewer made it, without parking. */
async function serveDecision(tx: Tx, recording: Recording, call: ToolCall): Promise<ToolCall> {
  await transitionToolCall(tx, call, "pending_approval");
  const recorded = recording.calls.find(
    (c) =>
      c.toolUseId === call.toolUseId &&
      c.tool === call.tool &&
      (c.approval?.proposedHash ?? c.argsHash) === call.argsHash,
  );
  const approval = recorded?.approval;
  const event = (name: string, data: Prisma.InputJsonValue) =>
    recordEvent(tx, { runId: call.runId, toolCallId: call.id, kind: "decision", name, data });
  if (approval?.status === "approved") {
    const args = (approval.approvedArguments ??
      approval.proposedArguments) as Prisma.InputJsonValue;
    await transitionToolCall(tx, call, "approved", { arguments: args, argsHash: stableHash(args) });
    await event(recorded!.decisionName ?? "approved", {
      served: "from the recording",
      approved: args,
    });
    return {
      ...call,
      status: "approved",
      arguments: args as Prisma.JsonValue,
      argsHash: stableHash(args),
    };
  }
  if (approval?.status === "rejected") {
    await transitionToolCall(tx, call, "rejected", {
      error: { kind: "rejected", reason: approval.decisionReason },
    });
    await event(recorded!.decisionName ?? "rejected", {
      served: "from the recording",
      reason: approval.decisionReason,
    });
    return { ...call, status: "rejected" };
  }
  await transitionToolCall(tx, call, "expired");
  await event(recorded?.decisionName ?? "expired: no decision in the recording", {
    served: "from the recording",
  });
  return { ...call, status: "expired" };
}

/** Re-run and shadow: a call that would wait for a person is recorded, never parked or run. */
async function wouldCall(tx: Tx, call: ToolCall): Promise<ToolCall> {
  const message = `would call ${describeCall(call.tool, call.arguments)}: a scratch run parks nothing for reviewers and executes no writes`;
  await transitionToolCall(tx, call, "refused", { error: { kind: "not_executed", message } });
  await recordEvent(tx, {
    runId: call.runId,
    toolCallId: call.id,
    kind: "policy",
    name: `would call ${describeCall(call.tool, call.arguments)}`,
    data: { wouldCall: true },
  });
  return { ...call, status: "refused", error: { kind: "not_executed", message } };
}

function notRecorded(call: ScratchCall): Execute {
  return async () => {
    throw new ToolError(
      "not_found",
      `replay: ${describeCall(call.tool, call.arguments)} is not in the recording`,
    );
  };
}
