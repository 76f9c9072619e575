"use server";

import { reviewerAction } from "@/lib/auth/guards";
import { replyInput, replyToFollowUp } from "@/lib/follow-ups/service";

const guardedReply = reviewerAction(replyInput, replyToFollowUp);

export async function reply(input: unknown) {
  return guardedReply(input);
}
