import { z } from "zod";
import { safeText } from "@/lib/validation/text";

// What a reply accepts, with no server imports, so the reply form (browser) checks with the very
// schema the server action and the API route parse with.

export const replyInput = z.object({
  followUpId: z.uuid({ message: "Unknown follow-up" }),
  text: safeText()
    .trim()
    .min(1, "Write a reply first")
    .max(2000, "Keep replies under 2,000 characters"),
});
export type ReplyInput = z.infer<typeof replyInput>;

/** The reply form's one field. */
export const replyText = replyInput.pick({ text: true });
