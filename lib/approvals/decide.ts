import "server-only";
import { sql } from "kysely";
import { builder, hot } from "@/lib/store";
import { z } from "zod";
import { safeText } from "@/lib/validation/text";
import { decisionPacket } from "@/lib/audit/log";
import type { Actor } from "@/lib/auth/actor";
import { db, type Tx } from "@/lib/db";
import { AppError, describeIssues } from "@/lib/errors";
import { formatAgo } from "@/lib/format";
import { Prisma } from "@/lib/generated/prisma/client";
import { enqueueAdvance } from "@/lib/jobs/queue";
import { nothingWaits, RESUME_REASON, transitionRun } from "@/lib/runtime/transitions";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import type { DecisionWrite } from "./decision-statement";
import { commitDecision, decideTogether, type BatchedOutcome } from "./decision-batch";
import { grouped } from "@/lib/db/group";
import { registry } from "@/lib/agents";
import { stableHash } from "@/lib/idempotency/hash";
import { isExternalRun } from "@/lib/external/agents";
import { externalEditSchema } from "@/lib/external/arguments";
import { settleExternalDecision } from "@/lib/external/decisions";
import { voteToApprove } from "./four-eyes";
import { createGrant, rememberInput, whyNotGrantable } from "@/lib/policy/grant-store";
import { acknowledgedWarnings, checkBeforeDecision } from "./pre-checks";
import { alsoPendingArguments } from "./related";

const base = {
  approvalId: z.uuid({ message: "Unknown approval" }),
  expectedHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  acknowledgedWarnings,
};

export const decisionInput = z.discriminatedUnion("decision", [
  // `remember`: "approve calls like this automatically" (lib/policy/grant-store.ts).
  z.object({ ...base, decision: z.literal("approve"), remember: rememberInput.optional() }),
  z.object({
    ...base,
    decision: z.literal("reject"),
    reason: safeText().trim().min(3, "Give the reason in a few words").max(1000),
  }),
  z.object({
    ...base,
    decision: z.literal("edit"),
    arguments: z.record(z.string(), z.unknown()),
    reason: safeText().trim().max(1000).optional(),
    remember: rememberInput.optional(),
  }),
]);
export type DecisionInput = z.infer<typeof decisionInput>;

/**
 * What a decision did. `pending`: an approval was counted, and the item still waits for more
 * (four-eyes): `approvals` of `required` so far, given by `approvedBy`.
 */
export type DecisionOutcome = {
  approvalId: string;
  status: "approved" | "rejected" | "pending";
  decidedBy: string;
  decidedAt: string;
  runResumed: boolean;
  approvals: number;
  required: number;
  approvedBy: string[];
  /** The grant this approval made ("approve calls like this automatically"), if asked for. */
  grantId?: string;
};

/**
 * A decision is a conditional update of a pending approval, bound to the hash of the arguments
 * the reviewer saw. The losing side of a race gets a conflict naming who decided, never a second
 * execution. The job that resumes the run commits in the same transaction.
 */
export async function decideApproval(actor: Actor, input: DecisionInput): Promise<DecisionOutcome> {
  const approval = await readDecidable(input.approvalId);
  if (!approval) throw new AppError("not_found", "This approval does not exist.");
  // The customer the run acts for (by account or by email: the same person under another login) decides none of it.
  if (
    approval.userId === actor.id ||
    approval.requesterEmail.toLowerCase() === actor.email.toLowerCase()
  ) {
    throw new AppError(
      "forbidden",
      "You cannot decide on a request you made yourself, or one made for your own account.",
    );
  }
  // A tool's pre-check runs again now: a warning not acknowledged refuses the approval (pre-checks.ts).
  await checkBeforeDecision(
    {
      ...approval,
      proposedAt: approval.createdAt,
      subject: {
        id: approval.userId,
        email: approval.requesterEmail,
        name: approval.requesterName,
      },
    },
    input,
  );

  let approvedArguments: Prisma.InputJsonValue | undefined;
  if (input.decision === "edit") {
    // External agents (lib/external): their call's own input_schema checks an edit.
    const external = approval.external ? await externalEditSchema(db, approval.runId) : null;
    const tool = external
      ? { input: external.schema ?? z.record(z.string(), z.unknown()) }
      : registry.tool(approval.agent, approval.tool);
    const parsed = tool?.input.safeParse(input.arguments);
    if (!parsed?.success)
      throw new AppError("invalid_input", parsed ? describeIssues(parsed.error) : "Unknown tool");
    approvedArguments = parsed.data as Prisma.InputJsonValue;
  } else if (input.decision === "approve") {
    approvedArguments = approval.proposedArguments as Prisma.InputJsonValue;
  }
  const status = input.decision === "reject" ? "rejected" : "approved";
  const remember = input.decision !== "reject" ? input.remember : undefined;
  const grantSource = remember && {
    approvalId: approval.id,
    agent: approval.agent,
    tool: approval.tool,
    subjectId: approval.userId,
    reasonCodes: approval.reasonCodes,
    requiredApprovals: approval.requiredApprovals,
    approvedArguments: approvedArguments as Record<string, unknown>,
  };
  // Refused before anything is decided: a grant this approval cannot make is said, not silently dropped.
  if (remember && grantSource) {
    const why = approval.external
      ? "Calls of an agent that runs elsewhere cannot be approved automatically later."
      : await whyNotGrantable(grantSource, remember);
    if (why) throw new AppError("invalid_input", `remember: ${why}`);
  }
  const decidedAt = new Date();
  const reason = input.decision === "approve" ? null : (input.reason ?? null);

  const approvedHash = approvedArguments !== undefined ? stableHash(approvedArguments) : null;
  const { toolCall } = approval;
  const write: DecisionWrite = {
    approvalId: approval.id,
    runId: approval.runId,
    // An external agent's run is not resumed by the engine: the agent carries the call out.
    resume: !approval.external,
    toolCall,
    status,
    actorId: actor.id,
    decidedAt,
    reason,
    approved:
      approvedArguments !== undefined && approvedHash !== null
        ? { arguments: approvedArguments, hash: approvedHash }
        : null,
    // The statement also refuses an item past its time to live, even before the maintenance job has marked it.
    expectedHash: input.expectedHash ?? null,
    decisionEvent: {
      name: `${input.decision === "edit" ? "edited and approved" : status} by ${actor.email}`,
      data: {
        decision: input.decision,
        by: actor.email,
        reason,
        proposed: approval.proposedArguments as Prisma.InputJsonValue,
        ...(approvedArguments !== undefined && { approved: approvedArguments }),
      },
    },
    audit: {
      actorEmail: actor.email,
      action: AUDIT_ACTION[input.decision],
      payload: {
        ...decisionPacket({ ...approval, run: { request: approval.request }, toolCall }),
        seenHash: input.expectedHash ?? null,
        ...(approvedArguments !== undefined && {
          approved: approvedArguments,
          approvedHash: approvedHash!,
        }),
        reason,
      },
    },
  };
  if (approval.requiredApprovals > 1 && write.approved) {
    return fourEyes(
      actor,
      { ...write, approved: write.approved },
      input.decision === "edit",
      approval.requiredApprovals,
      approval.external,
    );
  }
  // The engine's decisions, the hot path under many reviewers, are group-committed on plain pg
  // (decision-batch.ts). An external agent's settles its run through lib/external's Prisma code
  // (transition, grant, webhook), a few decisions a second at most: it keeps Prisma's transaction.
  const outcome = approval.external ? await decideExternal(write) : await commitDecision(write);
  // Nothing was written in either case; who decided first (or that the run ended) is read afterwards.
  if (outcome.kind === "lost") throw await conflict(approval.id, decidedAt);
  if (outcome.kind === "run_ended") throw await conflict(approval.id, decidedAt, outcome.status);
  const approvedBy = status === "approved" ? [actor.email] : [];
  const grant = remember && grantSource ? await createGrant(actor, grantSource, remember) : null;
  return {
    ...(grant && { grantId: grant.id }),
    approvalId: approval.id,
    status,
    decidedBy: actor.email,
    decidedAt: decidedAt.toISOString(),
    runResumed: outcome.resumed,
    approvals: approvedBy.length,
    required: approval.requiredApprovals,
    approvedBy,
  };
}

/** An approval of an item that needs several (four-eyes.ts): counted, and the item decided by the last one needed. */
async function fourEyes(
  actor: Actor,
  write: Parameters<typeof voteToApprove>[1],
  edited: boolean,
  required: number,
  external: boolean,
): Promise<DecisionOutcome> {
  const outcome = await voteToApprove(
    actor,
    write,
    edited,
    external ? settleExternalDecision : undefined,
  );
  if (outcome.kind === "lost") throw await conflict(write.approvalId, write.decidedAt);
  if (outcome.kind === "run_ended")
    throw await conflict(write.approvalId, write.decidedAt, outcome.status as RunStatus);
  return {
    approvalId: write.approvalId,
    status: outcome.kind === "pending" ? "pending" : "approved",
    decidedBy: actor.email,
    decidedAt: write.decidedAt.toISOString(),
    runResumed: outcome.kind === "decided" && outcome.resumed,
    approvals: outcome.approvals,
    required: outcome.required ?? required,
    approvedBy: outcome.approvedBy,
  };
}

/** An external agent's decision: the same statements in Prisma's transaction, which also settles its run (lib/external). */
function decideExternal(write: DecisionWrite): Promise<BatchedOutcome> {
  return db.$transaction(async (tx) => {
    const [outcome] = await decideTogether(tx, [write]);
    if (outcome?.kind === "won") await settleExternalDecision(tx, write.runId);
    return outcome!;
  });
}

type Decidable = {
  id: string;
  runId: string;
  agent: string;
  tool: string;
  /** As read with the rest: the decision's statement is what refuses an item no longer pending. */
  status: string;
  proposedArguments: Prisma.JsonValue;
  proposedHash: string;
  reasons: Prisma.JsonValue;
  createdAt: Date;
  userId: string;
  /** The email and name of the customer the run acts for. */
  requesterEmail: string;
  requesterName: string | null;
  reasonCodes: string[];
  request: string;
  /** Approvals from distinct reviewers the item needs (kept from the policy that parked it). */
  requiredApprovals: number;
  /** Proposed by an agent that runs elsewhere (lib/external). */
  external: boolean;
  /** The other pending calls' arguments, for the tool's pre-check (related.ts alsoPendingArguments). */
  alsoPending: unknown[];
  toolCall: { id: string; tool: string; confidence: number | null; rationale: string | null };
};

// The approvals with their runs and calls, as a decision reads them (compiled once: every decision
// reads it), and the other pending calls the tool's pre-check weighs: the check then reads only the
// tool's own system.
const decidables = hot((p: { ids: string[] }) =>
  builder
    .selectFrom("approvals as a")
    .innerJoin("runs as r", "r.id", "a.run_id")
    .innerJoin("users as u", "u.id", "r.user_id")
    .innerJoin("tool_calls as t", "t.id", "a.tool_call_id")
    .select([
      "a.id",
      "a.run_id as runId",
      "a.agent",
      "a.tool",
      "a.status",
      "a.proposed_arguments as proposedArguments",
      "a.proposed_hash as proposedHash",
      "a.reasons",
      // timestamp (UTC, as Prisma writes it) read as the instant it is, whatever the time zone
      sql<Date>`a.created_at at time zone 'UTC'`.as("createdAt"),
      "r.user_id as userId",
      "u.email as requesterEmail",
      "u.name as requesterName",
      "a.required_approvals as requiredApprovals",
      "a.reason_codes as reasonCodes",
      "r.request",
      sql<boolean>`r.model_provider = 'external'`.as("external"),
      "a.tool_call_id as toolCallId",
      "t.confidence",
      "t.rationale",
      alsoPendingArguments("a").as("alsoPending"),
    ])
    .where(sql<boolean>`a.id = any(${p.ids}::uuid[])`),
);

/** The approvals with what a decision needs of their runs and calls, in one query; null for an unknown id. */
async function readDecidables(ids: string[]): Promise<(Decidable | null)[]> {
  const rows = await decidables(db, { ids });
  const byId = new Map(
    rows.map(({ toolCallId, confidence, rationale, ...rest }) => [
      rest.id,
      {
        ...rest,
        proposedArguments: rest.proposedArguments as Prisma.JsonValue,
        reasons: rest.reasons as Prisma.JsonValue,
        toolCall: { id: toolCallId, tool: rest.tool, confidence, rationale },
      },
    ]),
  );
  return ids.map((id) => byId.get(id) ?? null);
}

// Read together when reviewers decide at once, like the decisions themselves (decision-batch.ts).
const readGrouped = grouped(readDecidables, { max: 64 });

/** The approval with what a decision needs of its run and call. */
async function readDecidable(approvalId: string): Promise<Decidable | null> {
  if (!z.uuid().safeParse(approvalId).success) return null;
  return readGrouped(approvalId);
}

/** Once no call of a parked run waits for a human, the run goes back to work. */
export async function resumeIfDecided(tx: Tx, runId: string): Promise<boolean> {
  if (!(await nothingWaits(tx, runId))) return false;
  // External runs (lib/external) are not resumed by the engine: the agent carries the call out.
  if (await isExternalRun(tx, runId)) return settleExternalDecision(tx, runId);
  if (!(await transitionRun(tx, runId, "running", RESUME_REASON))) return false;
  await enqueueAdvance(tx, runId);
  return true;
}

const AUDIT_ACTION = { approve: "approved", edit: "edited", reject: "rejected" } as const;

/**
 * Why a decision wrote nothing: another decision or an expiry came first, the call changed, or its
 * run has ended. Said in words ("Riley Reviewer approved it 3 s ago"); the structured facts
 * (status, the decider's email, ISO times) stay in the details for API clients.
 */
async function conflict(approvalId: string, now: Date, runEnded?: RunStatus) {
  const current = await db.approval.findUniqueOrThrow({
    where: { id: approvalId },
    include: { decidedBy: { select: { email: true, name: true } } },
  });
  if (current.status === "expired" || (current.status === "pending" && current.expiresAt <= now)) {
    const expiredAt = current.expiresAt.toISOString();
    return new AppError(
      "conflict",
      `This item expired ${formatAgo(current.expiresAt, now.getTime())}; nothing was decided.`,
      { status: "expired", expiredAt },
    );
  }
  if (current.status === "pending" && runEnded)
    return new AppError(
      "conflict",
      `The run has already ended (${runEnded}); nothing was decided.`,
    );
  if (current.status === "pending")
    return new AppError(
      "conflict",
      "The proposed call changed since you opened it. Reload and review it again.",
    );
  const who = current.decidedBy
    ? current.decidedBy.name.trim() || current.decidedBy.email
    : "The system";
  const when = current.decidedAt ? ` ${formatAgo(current.decidedAt, now.getTime())}` : "";
  return new AppError("conflict", `${who} ${current.status} it${when}; nothing else was decided.`, {
    status: current.status,
    decidedBy: current.decidedBy?.email ?? null,
    decidedByName: current.decidedBy?.name ?? null,
    decidedAt: current.decidedAt?.toISOString() ?? null,
  });
}
