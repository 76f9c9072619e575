import "server-only";
import { builder, hot } from "@/lib/store";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordsOf } from "@/lib/agents";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import { recordEvent } from "@/lib/trace/events";
import { decideTogether } from "./decision-batch";
import { lockRuns, type DecisionWrite } from "./decision-statement";

// Four-eyes, N of M (lib/policy: a rule's `approvals`): an item that needs several approvals
// collects one vote per reviewer for the arguments they saw (approval_votes). The same reviewer
// cannot give two; an edit makes new arguments and the count starts again for them (the editor's
// vote counting for what they wrote); the last vote needed decides the item through the usual
// conditional statement (decision-statement.ts), so the call runs once, with the arguments every
// vote was for. A rejection by anyone goes the usual way and ends it. Each vote is traced and audited.

export type VoteOutcome =
  | { kind: "pending"; approvals: number; required: number; approvedBy: string[] }
  | { kind: "decided"; resumed: boolean; approvals: number; required: number; approvedBy: string[] }
  | { kind: "lost" }
  | { kind: "run_ended"; status: string };

// The item, locked, as a vote needs it.
const lockItem = hot((p: { id: string }) =>
  builder
    .selectFrom("approvals")
    .select(["agent", "tool", "status", "proposed_hash", "expires_at", "required_approvals"])
    .where("id", "=", p.id)
    .forUpdate(),
);

const votersOf = hot((p: { approvalId: string; hash: string }) =>
  builder
    .selectFrom("approval_votes as v")
    .innerJoin("users as u", "u.id", "v.reviewer_id")
    .select("u.email")
    .where("v.approval_id", "=", p.approvalId)
    .where("v.args_hash", "=", p.hash)
    .orderBy("v.created_at")
    .orderBy("u.email"),
);

/** The reviewers who approved `hash` of the item, in order (emails). */
export async function votersFor(
  client: Tx | typeof db,
  approvalId: string,
  hash: string,
): Promise<string[]> {
  const rows = await votersOf(client, { approvalId, hash });
  return rows.map((r) => r.email);
}

/**
 * Records `actor`'s approval of `write.approved` (the item's arguments, or their edit of them),
 * and decides the item when it is the last one needed.
 */
export function voteToApprove(
  actor: Actor,
  write: DecisionWrite & { approved: NonNullable<DecisionWrite["approved"]> },
  edited: boolean,
  /** Settles the run once the item is decided (an external agent's, lib/external), in the same transaction. */
  settle?: (tx: Tx, runId: string) => Promise<unknown>,
): Promise<VoteOutcome> {
  return db.$transaction(async (tx) => {
    // The run first, then the item, in the order the decision statement takes them: no cycle.
    const runStatus = (await lockRuns(tx, [write.runId])).get(write.runId);
    if (runStatus && (TERMINAL_RUN_STATUSES as readonly string[]).includes(runStatus))
      return { kind: "run_ended", status: runStatus };
    const [item] = await lockItem(tx, { id: write.approvalId });
    if (!item || item.status !== "pending" || item.expires_at <= write.decidedAt)
      return { kind: "lost" };
    if (write.expectedHash && write.expectedHash !== item.proposed_hash) return { kind: "lost" };
    const hash = write.approved.hash;
    if (edited && hash !== item.proposed_hash) {
      // New arguments: what the next reviewers see and approve; earlier votes were for the old ones.
      // The records they change go with them: other pending calls are matched on `records`.
      const records = recordsOf({
        agent: item.agent,
        tool: item.tool,
        arguments: write.approved.arguments as Record<string, unknown>,
      });
      await tx.approval.update({
        where: { id: write.approvalId },
        data: { proposedArguments: write.approved.arguments, proposedHash: hash, records },
      });
    }
    const before = await votersFor(tx, write.approvalId, hash);
    if (before.includes(actor.email)) {
      throw new AppError(
        "conflict",
        `You have already approved this (${before.length} of ${item.required_approvals}): it needs approval from ${item.required_approvals - before.length === 1 ? "another reviewer" : `${item.required_approvals - before.length} other reviewers`}.`,
        { status: "pending", approvals: before.length, required: item.required_approvals },
      );
    }
    await tx.approvalVote.create({
      data: { approvalId: write.approvalId, reviewerId: actor.id, argsHash: hash },
    });
    const approvedBy = [...before, actor.email];
    const required = item.required_approvals;
    await recordAudit(tx, {
      actorEmail: actor.email,
      action: edited ? "edited_vote" : "approval_vote",
      approvalId: write.approvalId,
      runId: write.runId,
      payload: {
        approvals: approvedBy.length,
        required,
        approvedBy,
        argsHash: hash,
        arguments: write.approved.arguments,
      },
    });
    if (approvedBy.length < required) {
      await recordEvent(tx, {
        runId: write.runId,
        toolCallId: write.toolCall.id,
        kind: "decision",
        name: `${edited ? "edited and approved" : "approved"} by ${actor.email} · ${approvedBy.length} of ${required}`,
        data: {
          decision: edited ? "edit" : "approve",
          by: actor.email,
          approvals: approvedBy.length,
          required,
          approvedBy,
          approved: write.approved.arguments,
        },
      });
      // Their claim ends with their vote: the next reviewer is who the item waits for now.
      await tx.approval.updateMany({
        where: { id: write.approvalId, claimedById: actor.id },
        data: { claimedById: null, claimedUntil: null },
      });
      return { kind: "pending", approvals: approvedBy.length, required, approvedBy };
    }
    const [outcome] = await decideTogether(tx, [
      {
        ...write,
        expectedHash: hash,
        decisionEvent: {
          name: `${write.decisionEvent.name} · ${approvedBy.length} of ${required}`,
          data: {
            ...(write.decisionEvent.data as object),
            approvals: approvedBy.length,
            required,
            approvedBy,
          },
        },
      },
    ]);
    if (outcome?.kind !== "won")
      return outcome?.kind === "run_ended"
        ? { kind: "run_ended", status: outcome.status }
        : { kind: "lost" };
    await settle?.(tx, write.runId);
    return {
      kind: "decided",
      resumed: outcome.resumed,
      approvals: approvedBy.length,
      required,
      approvedBy,
    };
  });
}
