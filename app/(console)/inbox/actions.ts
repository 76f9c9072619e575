"use server";

import { decideApproval, decisionInput } from "@/lib/approvals/decide";
import { reviewerAction } from "@/lib/auth/guards";

const guardedDecide = reviewerAction(decisionInput, decideApproval);

export async function decide(input: unknown) {
  return guardedDecide(input);
}
