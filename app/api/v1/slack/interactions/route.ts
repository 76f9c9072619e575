// Slack's interactivity requests: decisions from a parked item's message. Authenticated by Slack's
// request signature (lib/slack/verify.ts), never by a session; see lib/slack/interactions.ts.
import { log } from "@/lib/log";
import { handleSlackInteraction } from "@/lib/slack/interactions";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  try {
    return await handleSlackInteraction(request);
  } catch (error) {
    log.error("slack interaction failed", { error });
    return Response.json(
      { error: "Countersign could not handle this interaction" },
      { status: 503 },
    );
  }
}
