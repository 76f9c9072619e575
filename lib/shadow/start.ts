import "server-only";
import { db } from "@/lib/db";
import { enqueueAdvance } from "@/lib/jobs/queue";
import type { ShadowSample } from "@/lib/runtime/hooks";

/**
 * Registered on the runtime's afterRouted hook (lib/features.ts): the move to running read the
 * agent's shadow setting; a live run (never a scratch run) may be sampled for it.
 */
export async function shadowAfterRouting(
  run: { id: string; agent: string; mode: string },
  read: { shadow: ShadowSample | null },
): Promise<string | null> {
  return run.mode === "live" && read.shadow
    ? startShadowIfSampled(run.id, run.agent, read.shadow)
    : null;
}

/**
 * Called once a live run has been routed to `agent` whose settings version `shadow.version` is in
 * shadow: if this run is sampled, a shadow run of the same request is created and queued beside
 * it. It shares the live run's conversation only as a key: a shadow run posts nothing there
 * (lib/runtime/persist-step.ts, messages.ts) and parks nothing for reviewers (lib/replay/session.ts).
 * Its own transaction, after the live run's routing committed: a crash in between loses one
 * sample, never the live run.
 */
export async function startShadowIfSampled(
  liveRunId: string,
  agent: string,
  shadow: ShadowSample,
  roll = Math.random,
): Promise<string | null> {
  if (shadow.sampleRate <= 0 || roll() >= shadow.sampleRate) return null;
  return db.$transaction(async (tx) => {
    const live = await tx.run.findUniqueOrThrow({
      where: { id: liveRunId },
      select: { conversationId: true, userId: true, request: true, modelProvider: true },
    });
    const config = await tx.shadowConfig.findUnique({
      where: { agent },
      select: { updatedBy: true },
    });
    const run = await tx.run.create({
      data: {
        ...live,
        mode: "shadow",
        sourceRunId: liveRunId,
        deadlineAt: new Date(Date.now() + 300_000),
      },
    });
    await tx.scratchRun.create({
      data: {
        kind: "shadow",
        runId: run.id,
        sourceRunId: liveRunId,
        agent,
        version: shadow.version,
        requestedBy: config?.updatedBy ?? null,
      },
    });
    await enqueueAdvance(tx, run.id);
    return run.id;
  });
}
