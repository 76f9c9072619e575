import "server-only";
import { z } from "zod";
import { defineTool, RECALL_TOOL, ToolError } from "@/lib/agent-kit";
import { db } from "@/lib/db";

/**
 * Large tool results stay out of the prompt (a preview and a reference go in); this tool, which
 * every executor gets, brings one back by its reference when the model needs it.
 */
export { RECALL_TOOL };

export const recallTool = defineTool({
  name: RECALL_TOOL,
  description:
    "Read in full a large earlier tool result that the conversation shows only as a preview, by its ref.",
  input: z.object({ ref: z.string().min(1).max(200).describe("The ref shown with the preview") }),
  irreversible: false,
  readOnly: true,
  summarize: (i) => `ref ${i.ref}`,
  describeForCustomer: () => "a look back at an earlier answer",
  execute: async (i, ctx) => {
    const call = await db.toolCall.findFirst({
      where: { runId: ctx.runId, toolUseId: i.ref, status: "succeeded" },
    });
    if (!call) throw new ToolError("not_found", `No stored result has the ref ${i.ref}`);
    return call.result;
  },
});
