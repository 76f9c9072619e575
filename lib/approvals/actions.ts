"use server";

import { z } from "zod";
import { safeText } from "@/lib/validation/text";
import { decideApproval, decisionInput, type DecisionInput } from "@/lib/approvals/decide";
import { checkEditedArguments } from "@/lib/approvals/queries";
import { acknowledgedWarnings, preCheckWarnings } from "@/lib/approvals/pre-checks";
import { conflictsWithin } from "@/lib/approvals/related";
import { AppError } from "@/lib/errors";
import { reviewerAction } from "@/lib/auth/guards";
import { toClientError } from "@/lib/errors";

const guardedDecide = reviewerAction(decisionInput, async (actor, input) => {
  if (input.decision === "edit") await checkEditedArguments(input.approvalId, input.arguments);
  return decideApproval(actor, input);
});

export async function decide(input: unknown) {
  return guardedDecide(input);
}

const batchItems = z
  .array(
    z.object({
      approvalId: z.uuid({ message: "Unknown approval" }),
      expectedHash: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      acknowledgedWarnings,
    }),
  )
  .min(1, "Select at least one item")
  .max(100, "Decide on at most 100 items at once")
  .refine(
    (items) => new Set(items.map((i) => i.approvalId)).size === items.length,
    "An item is selected twice",
  );

const batchInput = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("approve"), items: batchItems }),
  z.object({
    decision: z.literal("reject"),
    items: batchItems,
    reason: safeText().trim().min(3, "Give the reason in a few words").max(1000),
  }),
]);

export type BatchItemResult =
  | {
      approvalId: string;
      ok: true;
      status: "approved" | "rejected" | "pending";
      decidedBy: string;
      decidedAt: string;
    }
  | { approvalId: string; ok: false; error: { code: string; message: string } };

// One confirmation for many items, but each decision is its own checked, conditional update
// (and its own resume job): a conflict on one item is reported for that item alone.
const guardedDecideMany = reviewerAction(batchInput, async (actor, input) => {
  // A set that conflicts with itself (two full refunds of one order) is refused whole: nothing is decided.
  const conflicts =
    input.decision === "approve" ? await conflictsWithin(input.items.map((i) => i.approvalId)) : [];
  if (conflicts.length > 0) {
    throw new AppError(
      "conflict",
      `Nothing was decided: ${conflicts.map((c) => c.message).join(" ")}`,
      { conflicts },
    );
  }
  const results: BatchItemResult[] = [];
  for (const item of input.items) {
    const single: DecisionInput =
      input.decision === "reject"
        ? { decision: "reject", reason: input.reason, ...item }
        : { decision: "approve", ...item };
    try {
      const outcome = await decideApproval(actor, single);
      results.push({
        approvalId: item.approvalId,
        ok: true,
        status: outcome.status,
        decidedBy: outcome.decidedBy,
        decidedAt: outcome.decidedAt,
      });
    } catch (error) {
      const { code, message } = toClientError(error);
      results.push({ approvalId: item.approvalId, ok: false, error: { code, message } });
    }
  }
  return results;
});

export async function decideMany(input: unknown) {
  return guardedDecideMany(input);
}

const reviewSetInput = z.object({
  approvalIds: z
    .array(z.uuid({ message: "Unknown approval" }))
    .min(1)
    .max(100),
});

/** Before a bulk decision: the conflicts within the set, and each item's pre-check warnings. */
const guardedReviewSet = reviewerAction(reviewSetInput, async (_actor, { approvalIds }) => {
  const [conflicts, warnings] = await Promise.all([
    conflictsWithin(approvalIds),
    Promise.all(approvalIds.map((id) => preCheckWarnings(id))),
  ]);
  return {
    conflicts,
    warnings: Object.fromEntries(approvalIds.map((id, i) => [id, warnings[i] ?? []])) as Record<
      string,
      string[]
    >,
  };
});

export async function reviewSet(input: unknown) {
  return guardedReviewSet(input);
}
