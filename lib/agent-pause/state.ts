import "server-only";
import { sql } from "kysely";
import { z } from "zod";
import { registry } from "@/lib/agents";
import { appendAudit } from "@/lib/audit/log";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { builder, rows } from "@/lib/store";
import { safeText } from "@/lib/validation/text";

// The agent kill switch. An admin pauses an agent; the runtime asks `pausedAgent` at routing (new
// runs; the answer is kept in this process for a couple of seconds, and the process that changes it
// forgets its copy at once). A run in flight reads the switch with its state and with every step's
// write (lib/runtime/run-state.ts, persist-step.ts), so it stops at its next step at no extra cost.

export const PAUSE_CACHE_MS = 2_000;

export type PauseState = {
  agent: string;
  paused: boolean;
  reason: string;
  changedBy: string | null;
  changedAt: string | null;
};

export const setPauseInput = z.object({
  agent: z.string().min(1).max(64),
  paused: z.boolean(),
  reason: safeText().trim().min(3, "Give the reason in a few words").max(500),
});
export type SetPauseInput = z.infer<typeof setPauseInput>;

const cache = new Map<string, { paused: PauseState | null; until: number }>();

/** The pause of this agent, if it is paused now (null when it runs). */
export async function pausedAgent(agent: string): Promise<PauseState | null> {
  const hit = cache.get(agent);
  if (hit && hit.until > Date.now()) return hit.paused;
  const state = await pauseState(agent);
  const paused = state.paused ? state : null;
  cache.set(agent, { paused, until: Date.now() + PAUSE_CACHE_MS });
  return paused;
}

export async function pauseState(agent: string): Promise<PauseState> {
  const row = await db.agentPause.findUnique({ where: { agent } });
  const by = row?.changedById
    ? await db.user.findUnique({ where: { id: row.changedById }, select: { email: true } })
    : null;
  return row
    ? {
        agent,
        paused: row.paused,
        reason: row.reason,
        changedBy: by?.email ?? null,
        changedAt: row.changedAt.toISOString(),
      }
    : { agent, paused: false, reason: "", changedBy: null, changedAt: null };
}

/** Pauses or resumes an agent, audited in the same transaction. The actor is an admin (checked by the action). */
export async function setAgentPaused(actor: Actor, input: SetPauseInput): Promise<PauseState> {
  if (!registry.find(input.agent))
    throw new AppError("invalid_input", `agent: there is no agent named "${input.agent}"`);
  const changedAt = new Date();
  await db.$transaction(async (tx) => {
    // The row lock orders two admins flipping the same switch: each audit entry's "before" is true.
    await rows(
      tx,
      builder
        .insertInto("agent_pauses")
        .values({
          agent: input.agent,
          paused: false,
          reason: "",
          changed_by_id: null,
          changed_at: sql<Date>`timezone('UTC', now())`,
        })
        .onConflict((oc) => oc.column("agent").doNothing()),
    );
    const [before] = await rows(
      tx,
      builder
        .selectFrom("agent_pauses")
        .select("paused")
        .where("agent", "=", input.agent)
        .forUpdate(),
    );
    if (before?.paused === input.paused) {
      throw new AppError(
        "conflict",
        `The ${input.agent} agent is already ${input.paused ? "paused" : "running"}.`,
      );
    }
    await tx.agentPause.update({
      where: { agent: input.agent },
      data: { paused: input.paused, reason: input.reason, changedById: actor.id, changedAt },
    });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: input.paused ? "agent_paused" : "agent_resumed",
      payload: {
        agent: input.agent,
        reason: input.reason,
        before: { paused: before?.paused ?? false },
        after: { paused: input.paused },
      },
    });
  });
  cache.delete(input.agent);
  return pauseState(input.agent);
}
