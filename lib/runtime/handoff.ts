import "server-only";
import { z } from "zod";
import { defineTool, HANDOFF_TOOL } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { openFollowUp } from "@/lib/follow-ups/open";

/**
 * Every executor can hand a request to the team. It queues a follow-up, so "a member of our team
 * will follow up" is a promise someone sees, not just words in the chat.
 */
export { HANDOFF_TOOL };

export const HANDOFF_INSTRUCTION = `If you cannot complete the request yourself, call ${HANDOFF_TOOL} with what the team needs to know, then tell the user that a member of our team will follow up here.`;

export const handoffTool = defineTool({
  name: HANDOFF_TOOL,
  description:
    "Hand this request to a member of the team, who will reply in the user's chat. Use it when you cannot complete the request yourself.",
  input: z.object({
    reason: z
      .string()
      .trim()
      .min(3)
      .max(500)
      .describe("What the user wants and why you cannot do it yourself"),
  }),
  irreversible: false,
  summarize: (i) => i.reason,
  describeForCustomer: () => "passing your request to a member of our team",
  execute: async (i, ctx) => {
    await db.$transaction((tx) =>
      openFollowUp(tx, ctx.runId, `handed off by the agent: ${i.reason}`),
    );
    return {
      handedOff: true,
      next: "Tell the user that a member of our team will follow up here.",
    };
  },
});
