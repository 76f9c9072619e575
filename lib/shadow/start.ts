import "server-only";
import type { Tx } from "@/lib/db";
import type { Run } from "@/lib/generated/prisma/client";
import { enqueueAdvance } from "@/lib/jobs/queue";

/**
 * Called when a live run has been routed to `agent`, in that transaction: if the agent has a
 * version in shadow and this run is sampled, a shadow run of the same request is created and
 * queued beside it. It shares the live run's conversation only as a key: a shadow run posts
 * nothing there (lib/runtime/messages.ts) and parks nothing for reviewers (lib/replay/session.ts).
 */
export async function maybeStartShadow(tx: Tx, live: Pick<Run, "id" | "conversationId" | "userId" | "request" | "modelProvider">, agent: string, roll = Math.random): Promise<string | null> {
  const config = await tx.shadowConfig.findUnique({ where: { agent } });
  if (!config?.enabled || config.sampleRate <= 0 || roll() >= config.sampleRate) return null;
  const shadow = await tx.run.create({
    data: {
      conversationId: live.conversationId,
      userId: live.userId,
      request: live.request,
      modelProvider: live.modelProvider,
      mode: "shadow",
      sourceRunId: live.id,
      deadlineAt: new Date(Date.now() + 300_000),
    },
  });
  await tx.scratchRun.create({ data: { kind: "shadow", runId: shadow.id, sourceRunId: live.id, agent, version: config.version, requestedBy: config.updatedBy } });
  await enqueueAdvance(tx, shadow.id);
  return shadow.id;
}
