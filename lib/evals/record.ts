import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  evalCaseSchema,
  type EvalCase,
  type EvalCaseInput,
  type Placeholders,
  type RecordedRead,
} from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { safeText } from "@/lib/validation/text";

// Datasets from real decisions: a reviewer's decision on a parked call becomes an eval case,
// pre-filled from what happened — the request, what the agent had read before the call (as its
// fixtures' state, or the reads themselves, served again), and the decision as the expected
// property: a rejection says "should not propose this", an edit "the approved arguments were
// these", an approval "this is what should be parked". Recorded cases are stored as versions of a
// suite (eval_suite_versions), since the suite files are code.

export const RECORDED_SUITE = "decisions";

/** Each placeholder's value, in text, becomes "{name}". */
function templated(text: string, placeholders: Placeholders): string {
  return Object.entries(placeholders).reduce(
    (out, [name, value]) => out.replaceAll(String(value), `{${name}}`),
    text,
  );
}

/** The identifying arguments of a call (ids, amounts, dates): free text differs run to run and is left out. */
function identifying(
  args: Record<string, unknown>,
  placeholders: Placeholders,
): Record<string, unknown> {
  const named = new Map(Object.entries(placeholders).map(([name, value]) => [value, `{${name}}`]));
  const kept = Object.entries(args).filter(
    ([, v]) =>
      typeof v === "number" ||
      typeof v === "boolean" ||
      (typeof v === "string" && v.length <= 64 && !/\s/.test(v)),
  );
  return Object.fromEntries(kept.map(([k, v]) => [k, named.get(v as string | number) ?? v]));
}

export type CaseDraft = {
  agent: string;
  case: EvalCase;
  producedByVersion: number;
  sourceRunId: string;
  sourceApprovalId: string;
  decision: string;
};

/** The case a decided approval offers, or null while it is still pending. */
export async function draftFromApproval(approvalId: string): Promise<CaseDraft | null> {
  const approval = await db.approval.findUnique({
    where: { id: approvalId },
    include: {
      run: {
        include: {
          toolCalls: {
            where: { status: "succeeded" },
            orderBy: [{ turn: "asc" }, { createdAt: "asc" }],
          },
        },
      },
    },
  });
  if (!approval || approval.status === "pending" || !approval.run.agent) return null;
  const agentName = approval.run.agent;
  const proposed = approval.proposedArguments as Record<string, unknown>;
  const approved = (approval.approvedArguments as Record<string, unknown> | null) ?? null;
  // What the agent had read when it proposed the call.
  const reads: RecordedRead[] = approval.run.toolCalls
    .filter((c) => c.createdAt <= approval.createdAt && registry.tool(agentName, c.tool)?.readOnly)
    .map((c) => ({
      tool: c.tool,
      arguments: c.arguments as Record<string, unknown>,
      result: c.result,
    }));
  const request = approval.run.request;
  const fixture =
    registry
      .find(agentName)
      ?.fixtures?.fromDecision?.({ request, tool: approval.tool, arguments: proposed, reads }) ??
    null;
  const placeholders = fixture?.placeholders ?? {};
  const given = {
    message: templated(request, placeholders),
    state: (fixture?.state ?? {}) as Record<string, unknown>,
    reads: fixture ? [] : reads,
  };
  const tool = approval.tool;
  const short = randomUUID().slice(0, 8);
  const edited =
    approval.status === "approved" &&
    approved !== null &&
    approval.approvedHash !== approval.proposedHash;

  let input: EvalCaseInput;
  if (approval.status === "rejected" || approval.status === "expired") {
    input = {
      id: `rejected-${tool.replaceAll("_", "-")}-${short}`,
      title: `A reviewer ${approval.status === "rejected" ? "rejected" : "let expire"} ${tool}${approval.decisionReason ? `: “${approval.decisionReason.slice(0, 120)}”` : ""} — should not propose this`,
      ...given,
      decisions: [
        { tool, decision: "reject", reason: approval.decisionReason ?? "Recorded rejection" },
      ],
      expect: {
        agent: agentName,
        notProposed: [{ tool, arguments: identifying(proposed, placeholders) }],
      },
    };
  } else if (edited) {
    input = {
      id: `edited-${tool.replaceAll("_", "-")}-${short}`,
      title: `A reviewer edited ${tool} before approving — the approved arguments were these`,
      ...given,
      decisions: [{ tool, decision: "approve" }],
      expect: {
        agent: agentName,
        parked: [{ tool, arguments: identifying(approved!, placeholders) }],
      },
    };
  } else {
    input = {
      id: `approved-${tool.replaceAll("_", "-")}-${short}`,
      title: `A reviewer approved ${tool} as proposed`,
      ...given,
      decisions: [{ tool, decision: "approve" }],
      expect: {
        agent: agentName,
        parked: [{ tool, arguments: identifying(proposed, placeholders) }],
      },
    };
  }
  return {
    agent: agentName,
    case: evalCaseSchema.parse(input),
    producedByVersion: approval.run.agentVersion ?? 0,
    sourceRunId: approval.runId,
    sourceApprovalId: approval.id,
    decision: approval.status,
  };
}

export const addCaseInput = z.object({
  approvalId: z.uuid({ message: "approvalId must be an approval's id" }),
  suite: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,40}$/, "suite: lower-case letters, digits and dashes")
    .default(RECORDED_SUITE),
  title: safeText().trim().min(3).max(200).optional(),
});

/** Appends the approval's case to the suite as a new suite version, with who and where from (audited). */
export async function addCaseFromApproval(actor: Actor, input: z.infer<typeof addCaseInput>) {
  const draft = await draftFromApproval(input.approvalId);
  if (!draft)
    throw new AppError(
      "invalid_input",
      "approvalId: only a decided approval can become an eval case",
    );
  const evalCase = { ...draft.case, ...(input.title && { title: input.title }) };
  return db.$transaction(async (tx) => {
    // A decision becomes a case once per suite: a second click (or a second reviewer) is told where it is.
    const already = await tx.evalSuiteVersion.findFirst({
      where: { agent: draft.agent, suite: input.suite, sourceApprovalId: draft.sourceApprovalId },
    });
    if (already) {
      throw new AppError(
        "conflict",
        `This decision is already a case in ${draft.agent}/${input.suite} (suite version ${already.version}, added by ${already.createdByEmail}).`,
      );
    }
    const latest = await tx.evalSuiteVersion.findFirst({
      where: { agent: draft.agent, suite: input.suite },
      orderBy: { version: "desc" },
    });
    const cases = latest ? evalCaseSchema.array().parse(latest.cases) : [];
    const version = (latest?.version ?? 0) + 1;
    try {
      await tx.evalSuiteVersion.create({
        data: {
          agent: draft.agent,
          suite: input.suite,
          version,
          cases: [...cases, evalCase] as unknown as Prisma.InputJsonValue,
          change: `Added ${evalCase.id} from a ${draft.decision} decision`,
          sourceRunId: draft.sourceRunId,
          sourceApprovalId: draft.sourceApprovalId,
          createdByEmail: actor.email,
        },
      });
    } catch {
      throw new AppError(
        "conflict",
        "Someone else added a case to this suite at the same moment. Try again.",
      );
    }
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "eval_case_recorded",
      approvalId: draft.sourceApprovalId,
      runId: draft.sourceRunId,
      payload: {
        agent: draft.agent,
        suite: input.suite,
        suiteVersion: version,
        caseId: evalCase.id,
      },
    });
    return {
      agent: draft.agent,
      suite: input.suite,
      suiteVersion: version,
      caseKey: `${input.suite}/${evalCase.id}`,
      producedByVersion: draft.producedByVersion,
    };
  });
}

/** The cases a run's decided approvals offer, newest first (every rejection and edit among them). */
export async function draftsForRun(runId: string) {
  const approvals = await db.approval.findMany({
    where: { runId, status: { not: "pending" } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  const drafts = await Promise.all(approvals.map((a) => draftFromApproval(a.id)));
  return drafts.filter((d): d is CaseDraft => d !== null).map(toDecisionDraft);
}

export const toDecisionDraft = (d: CaseDraft) => ({
  approvalId: d.sourceApprovalId,
  agent: d.agent,
  decision: d.decision,
  producedByVersion: d.producedByVersion,
  case: d.case,
});
